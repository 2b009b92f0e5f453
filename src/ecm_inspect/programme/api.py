"""The programme's API: versions (their JSON document, with the names the caller may see),
the independent check of a version, planning jobs, each area's risk, and the published
version for everyone."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema, Status

from ecm_inspect.accounts.api import staff
from ecm_inspect.core.forms import form_errors
from ecm_inspect.core.inputs import ObjectId, Year

from .checker import programme_check
from .forms import CorporateAssessmentForm, CpaCategoryForm, PlanForm
from .models import CPA_BLOCKS, CorporateAssessment, CpaCategory, JobKind
from .records import corporate_assessment_record, cpa_category_record
from .risk_evidence import risk_model
from .selectors import (
    area_risks,
    document_for_user,
    job_data,
    job_get_for_user,
    published_version,
    version_get_for_user,
    versions_for_user,
)
from .services import ProgrammeRefused
from .tasks import job_start, jobs_reap

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


@router.get("/risk/{year}/model/", auth=staff, url_name="programme_risk_model")
def risk_model_of_year(request: HttpRequest, year: Year) -> dict[str, Any]:
    """The model the risk of `year` comes from: fitted or not and why, its weights with their
    90% intervals, and the inputs not used."""
    if not request.user.has_perm("programme.view_risk"):
        raise PermissionDenied
    return risk_model(year=year).as_data()


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


# -- corporate assessments and CPA categories -------------------------------------------


class RecordRefusedOut(Schema):
    detail: str
    errors: list[str]


class CorporateAssessmentIn(Schema):
    area: str  # GSS code
    starts_on: str
    ends_on: str
    option: int  # Appendix 3: 1 to 4
    shared_team_members: list[int | str] = []  # inspector ids or full names


class CpaCategoryIn(Schema):
    area: str
    year: int
    stars: int
    direction_of_travel: str = ""
    block_scores: dict[str, int | None] = {}
    source: str = ""


def _ca_out(ca: CorporateAssessment) -> dict[str, Any]:
    return {
        "gss_code": ca.area.gss_code,
        "area": ca.area.name,
        "starts_on": ca.starts_on.isoformat(),
        "ends_on": ca.ends_on.isoformat(),
        "option": ca.option,
        "option_label": ca.get_option_display(),
        "shared_team_members": [
            {"id": i.pk, "name": i.full_name} for i in ca.shared_team_members.all()
        ],
        "is_synthetic": ca.is_synthetic,
    }


def _cpa_out(c: CpaCategory) -> dict[str, Any]:
    return {
        "gss_code": c.area.gss_code,
        "area": c.area.name,
        "year": c.year,
        "stars": c.stars,
        "direction_of_travel": c.direction_of_travel,
        "block_scores": c.block_scores,
        "source": c.source,
    }


def _may(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@router.get("/corporate-assessments/", auth=staff, url_name="programme_corporate_assessments")
def corporate_assessments(request: HttpRequest) -> list[dict[str, Any]]:
    """Every council's corporate assessment: dates, the Appendix 3 option, the shared team
    members, and whether it is synthetic (the demo's)."""
    _may(request, "programme.view_assessments")
    found = CorporateAssessment.objects.select_related("area").prefetch_related(
        "shared_team_members"
    )
    return [_ca_out(ca) for ca in found.order_by("area__name", "starts_on")]


@router.post(
    "/corporate-assessments/",
    auth=staff,
    response={200: dict[str, Any], 422: RecordRefusedOut},
    url_name="programme_corporate_assessment_record",
)
def corporate_assessment_add(request: HttpRequest, body: CorporateAssessmentIn) -> Any:
    """The national lead records a corporate assessment (the same check as the page)."""
    _may(request, "programme.record_assessments")
    data = body.dict()
    data["shared_team_members"] = "; ".join(str(m) for m in data["shared_team_members"])
    form = CorporateAssessmentForm(data)
    if not form.is_valid():
        return Status(
            422,
            {"detail": "The corporate assessment was not recorded.", "errors": form_errors(form)},
        )
    clean = form.cleaned_data
    ca, _ = corporate_assessment_record(
        area=clean["area"], starts_on=clean["starts_on"], ends_on=clean["ends_on"],
        option=clean["option"], shared_team_members=clean["shared_team_members"],
        by=request.user,
    )  # fmt: skip
    return _ca_out(ca)


@router.get("/cpa-categories/", auth=staff, url_name="programme_cpa_categories")
def cpa_categories(request: HttpRequest) -> list[dict[str, Any]]:
    """Every council's recorded CPA category: stars, direction of travel, block scores."""
    _may(request, "programme.view_assessments")
    found = CpaCategory.objects.select_related("area").order_by("-year", "area__name")
    return [_cpa_out(c) for c in found]


@router.post(
    "/cpa-categories/",
    auth=staff,
    response={200: dict[str, Any], 422: RecordRefusedOut},
    url_name="programme_cpa_category_record",
)
def cpa_category_add(request: HttpRequest, body: CpaCategoryIn) -> Any:
    """The national lead records a council's CPA category for a year (again: replaced)."""
    _may(request, "programme.record_assessments")
    data: dict[str, Any] = body.dict()
    blocks = data.pop("block_scores") or {}
    unknown = sorted(set(blocks) - set(CPA_BLOCKS))
    for block, score in blocks.items():
        data[f"block_{block}"] = score
    form = CpaCategoryForm(data)
    if unknown or not form.is_valid():
        errors = form_errors(form) if form.is_bound and form.errors else []
        if unknown:
            errors.append(f"Block scores: no CPA block is called {', '.join(unknown)}.")
        return Status(422, {"detail": "The CPA category was not recorded.", "errors": errors})
    clean = form.cleaned_data
    category, _ = cpa_category_record(
        area=clean["area"], year=clean["year"], stars=clean["stars"],
        direction_of_travel=clean["direction_of_travel"], block_scores=form.block_scores(),
        source=clean["source"], by=request.user,
    )  # fmt: skip
    return _cpa_out(category)
