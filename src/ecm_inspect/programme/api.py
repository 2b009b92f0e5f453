"""The programme's API: versions (their JSON document, with the names the caller may see),
the independent check of a version, planning jobs, each area's risk, and the published
version for everyone."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema, Status

from ecm_inspect.accounts.api import staff
from ecm_inspect.accounts.inputs import ObjectId, Year
from ecm_inspect.core.forms import form_errors

from .checker import programme_check
from .forms import PlanForm
from .models import JobKind
from .selectors import (
    area_risks,
    document_for_user,
    job_data,
    job_get_for_user,
    published_version,
    version_get_for_user,
    versions_for_user,
)
from .services import ProgrammeRefused, job_start
from .tasks import jobs_reap

router = Router(tags=["programme"])


@router.get("/versions/", auth=staff, url_name="programme_versions")
def versions(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": v.pk,
            "number": v.number,
            "starts_on": v.programme.starts_on,
            "status": v.status,
            "method": v.method,
            "solver_status": v.solver_status,
            "objective": v.objective,
            "bound": v.bound,
            "published": v.published_at is not None,
        }
        for v in versions_for_user(user=request.user)
    ]


@router.get("/versions/{version_id}/", auth=staff, url_name="programme_version")
def version(request: HttpRequest, version_id: ObjectId) -> dict[str, Any]:
    found = version_get_for_user(user=request.user, version_id=version_id)
    return document_for_user(version=found, user=request.user)


@router.get("/versions/{version_id}/check/", auth=staff, url_name="programme_check")
def check(request: HttpRequest, version_id: ObjectId) -> dict[str, Any]:
    found = version_get_for_user(user=request.user, version_id=version_id)
    if not found.context:
        return {"ok": None, "violations": [], "detail": "no context was stored to check against"}
    problems = programme_check(found.document, found.context)
    return {
        "ok": not problems,
        "violations": [{"constraint": p.constraint, "detail": p.detail} for p in problems],
    }


class PlanIn(Schema):
    starts_on: str
    years: int = 3
    time_limit: int = 120


class JobRefusedOut(Schema):
    detail: str
    errors: list[str]


@router.post(
    "/jobs/",
    auth=staff,
    response={202: dict[str, Any], 409: JobRefusedOut, 422: JobRefusedOut},
    url_name="programme_job_start",
)
def job_start_plan(request: HttpRequest, body: PlanIn) -> Any:
    """Queue a plan of a new programme (as the page's "Plan a new programme"): 202 with the
    job, whose `url` the caller follows; 409 while another plan is queued or running; 422
    naming each field that is wrong."""
    if not request.user.has_perm("programme.plan"):
        raise PermissionDenied
    form = PlanForm(
        {"starts_on": body.starts_on, "years": body.years, "time_limit": body.time_limit}
    )
    if not form.is_valid():
        return Status(422, {"detail": "The plan was not queued.", "errors": form_errors(form)})
    try:
        started = job_start(
            kind=JobKind.PLAN,
            parameters=form.parameters(),
            time_limit=form.cleaned_data["time_limit"],
            by=request.user,
        )
    except ProgrammeRefused as exc:
        return Status(409, {"detail": "The plan was not queued.", "errors": list(exc.reasons)})
    return Status(202, job_data(started))


@router.get("/jobs/{job_id}/", auth=staff, url_name="programme_job")
def job(request: HttpRequest, job_id: ObjectId) -> dict[str, Any]:
    """A plan or re-plan running in the background: status, progress and result."""
    jobs_reap()  # a job whose worker stopped reads as failed, not running for ever
    return job_data(job_get_for_user(user=request.user, job_id=job_id))


@router.get("/risk/{year}/", auth=staff, url_name="programme_risk")
def risk(request: HttpRequest, year: Year) -> dict[str, Any]:
    if not request.user.has_perm("programme.view_risk"):
        raise PermissionDenied
    return {gss: r.as_data() for gss, r in area_risks(year=year).items()}


@router.get("/published/", url_name="programme_published")
def published(request: HttpRequest) -> dict[str, Any]:
    """The published programme: every review's area and dates, no inspectors."""
    found = published_version()
    if found is None:
        return {"reviews": [], "published_at": None}
    return {
        "published_at": found.published_at,
        "reviews": [
            {k: r[k] for k in ("area", "analysis_start", "fieldwork_start", "fieldwork_end")}
            for r in found.document.get("reviews", [])
        ],
    }
