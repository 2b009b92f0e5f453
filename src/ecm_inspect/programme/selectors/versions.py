"""What each person may see of the programme: versions, planning jobs, the document with the
teams they may see, and its rows for pages and exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ecm_inspect.registry.models import Area, Inspector

from ..models import Fixity, PlanningJob, Programme, ProgrammeVersion, VersionStatus


def version_get_for_user(*, user: Any, version_id: int) -> ProgrammeVersion:
    version = ProgrammeVersion.objects.select_related("programme").filter(pk=version_id).first()
    if version is None:
        raise Http404
    if not user.has_perm("programme.view_programme", version):
        raise PermissionDenied
    return version


def job_get_for_user(*, user: Any, job_id: int) -> PlanningJob:
    """A planning job, for whoever may plan (the national lead)."""
    job = PlanningJob.objects.select_related("version", "created_by").filter(pk=job_id).first()
    if job is None:
        raise Http404
    if not user.has_perm("programme.plan"):
        raise PermissionDenied
    return job


def job_data(job: PlanningJob) -> dict[str, Any]:
    """A job as the API gives it (docs/api.md)."""
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "time_limit": job.time_limit,
        "parameters": job.parameters,
        "version": job.version_id,
        "version_number": job.version.number if job.version else None,
        "reasons": job.reasons,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def current_version(programme: Programme | None = None) -> ProgrammeVersion | None:
    """The approved version in force, else the latest proposal."""
    qs = ProgrammeVersion.objects.select_related("programme")
    if programme is not None:
        qs = qs.filter(programme=programme)
    return (
        qs.filter(status=VersionStatus.APPROVED).order_by("-created_at", "-pk").first()
        or qs.exclude(status=VersionStatus.SUPERSEDED).order_by("-created_at", "-pk").first()
    )


def published_version() -> ProgrammeVersion | None:
    return (
        ProgrammeVersion.objects.filter(published_at__isnull=False)
        .select_related("programme")
        .order_by("-published_at", "-pk")
        .first()
    )


def document_for_user(*, version: ProgrammeVersion, user: Any) -> dict[str, Any]:
    """The version's JSON document with what the user may see: the national lead all of it;
    an inspectorate lead their own body's inspectors by id and the rest by body only (their
    share); anyone else (the published version) no inspectors at all."""
    doc = version.document
    if user.has_perm("programme.view_all_teams"):
        return doc
    body = _body_code(user) if user.has_perm("programme.view_programme", version) else None
    reviews = []
    for r in doc.get("reviews", []):
        team = [
            m
            if (body is not None and m["body"] == body)
            else {"inspector": None, "body": m["body"]}
            for m in r["team"]
        ]
        leader_body = next((m["body"] for m in r["team"] if m["inspector"] == r["leader"]), None)
        reviews.append(
            {
                **r,
                "leader": r["leader"] if body is not None and leader_body == body else None,
                "team": team if body is not None else [{"body": m["body"]} for m in r["team"]],
            }
        )
    out: dict[str, Any] = {**doc, "reviews": reviews}
    out["inspectors"] = (
        [i for i in doc.get("inspectors", []) if i["body"] == body] if body is not None else []
    )
    return out


def _body_code(user: Any) -> str | None:
    org = getattr(user, "organisation", None)
    body = getattr(org, "inspectorate", None) if org is not None else None
    return body.code if body is not None else None


def slot_rows(*, version: ProgrammeVersion, user: Any) -> list[dict[str, Any]]:
    """One row per review for pages and exports, names as the user may see them."""
    doc = document_for_user(version=version, user=user)
    areas = {a.gss_code: a for a in Area.objects.all()}
    ids = {m.get("inspector") for r in doc["reviews"] for m in r["team"]} - {None}
    names = dict(Inspector.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    fixity = dict(version.slots.values_list("area__gss_code", "fixity"))
    rows = []
    for r in doc["reviews"]:
        area = areas.get(r["area"])
        rows.append(
            {
                "gss": r["area"],
                "area": area.name if area else r["area"],
                "region": area.region_name if area else "",
                "region_code": area.region_code if area else "",
                "analysis_start": date.fromisoformat(r["analysis_start"]),
                "fieldwork_start": date.fromisoformat(r["fieldwork_start"]),
                "fieldwork_end": date.fromisoformat(r["fieldwork_end"]),
                "leader": names.get(r.get("leader")) if r.get("leader") else None,
                "team": [
                    {"name": names.get(m.get("inspector")), "body": m["body"]} for m in r["team"]
                ],
                "fixity": fixity.get(r["area"], Fixity.INDICATIVE),
            }
        )
    return rows


def moved_rows(*, version: ProgrammeVersion, user: Any) -> list[dict[str, Any]]:
    """What a re-plan moved against the version it was based on, old -> new, with the names
    of who joined or came off a team where the user may see them."""
    areas = dict(Area.objects.values_list("gss_code", "name"))
    ids = {n for m in version.moved for n in [*m.get("team", []), *m.get("left", [])]}
    names = (
        dict(Inspector.objects.filter(pk__in=ids).values_list("pk", "full_name"))
        if user.has_perm("programme.view_all_teams")
        else {}
    )
    return [
        {
            "gss": m["area"],
            "area": areas.get(m["area"], m["area"]),
            "from": date.fromisoformat(m["from"]) if m.get("from") else None,
            "to": date.fromisoformat(m["to"]),
            "moved": m.get("from") != m["to"],
            "joined": [names.get(n, f"inspector {n}") for n in m.get("team", [])],
            "left": [names.get(n, f"inspector {n}") for n in m.get("left", [])],
        }
        for m in version.moved
    ]


def versions_for_user(*, user: Any) -> list[ProgrammeVersion]:
    if not user.has_perm("programme.view_programme"):
        raise PermissionDenied
    return list(ProgrammeVersion.objects.select_related("programme").order_by("-pk")[:50])
