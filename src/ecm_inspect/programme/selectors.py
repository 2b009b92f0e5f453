"""Reads for the programme: each area's risk from the records, the scheduling problem built
from the registry, setting inspections, corporate assessments and the previous version, and
what each person may see of a version."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from ecm_inspect.core.work import WorkItem, work_item
from ecm_inspect.performance.models import (
    AreaInspection,
)
from ecm_inspect.provision.models import InspectionStatus, SettingInspection
from ecm_inspect.registry.models import Area, Inspector
from ecm_inspect.reviews.models import MilestoneKind, Review, Stage

from . import problem as p
from .models import (
    CorporateAssessment,
    CpaCategory,
    Fixity,
    PlanningJob,
    Programme,
    ProgrammeVersion,
    VersionStatus,
    YearConfirmation,
)
from .risk_evidence import GRADE_WORDS, area_risks

# -- corporate assessments ------------------------------------------------------------------


def corporate_assessments_in_force(area_ids: set[int]) -> dict[int, CorporateAssessment]:
    """Each area's corporate assessment the programme is sequenced against: a recorded one
    before a synthetic one, else the latest."""
    out: dict[int, CorporateAssessment] = {}
    for ca in CorporateAssessment.objects.filter(area_id__in=area_ids).order_by(
        "-is_synthetic", "starts_on"
    ):
        out[ca.area_id] = ca
    return out


def area_side_by_side(area: Area) -> dict[str, Any]:
    """One area's joint area reviews and corporate assessments in date order (the review by
    its analysis week to the end of its fieldwork), and its CPA categories."""
    events: list[dict[str, Any]] = []
    for review in Review.objects.filter(area=area).prefetch_related("milestones"):
        ends = [
            m.actual or m.planned
            for m in review.milestones.all()
            if m.kind == MilestoneKind.FIELDWORK_END
        ]
        events.append(
            {
                "kind": "Joint area review",
                "starts_on": review.analysis_starts_on,
                "ends_on": ends[0] if ends else None,
                "detail": review.get_stage_display(),
                "synthetic": review.is_synthetic,
            }
        )
    for ca in CorporateAssessment.objects.filter(area=area).prefetch_related("shared_team_members"):
        shared = ", ".join(i.full_name for i in ca.shared_team_members.all())
        events.append(
            {
                "kind": "Corporate assessment",
                "starts_on": ca.starts_on,
                "ends_on": ca.ends_on,
                "detail": ca.get_option_display() + (f"; shared: {shared}" if shared else ""),
                "synthetic": ca.is_synthetic,
            }
        )
    inspections = list(
        AreaInspection.objects.filter(area=area)
        .prefetch_related("judgements")
        .order_by("-published_on")
    )
    for inspection in inspections:
        overall = inspection.overall
        events.append(
            {
                "kind": inspection.get_kind_display(),
                "starts_on": inspection.starts_on or date(inspection.year, 1, 1),
                "ends_on": inspection.ends_on,
                "detail": (
                    f"Overall {GRADE_WORDS[overall]}" if overall is not None else "No overall grade"
                )
                + f"; published {inspection.published_on:%-d %B %Y}"
                + (" (estimated)" if inspection.published_estimated else ""),
                "synthetic": False,
            }
        )
    events.sort(key=lambda e: (e["starts_on"] is None, e["starts_on"] or date.min))
    return {
        "events": events,
        "categories": list(CpaCategory.objects.filter(area=area).order_by("-year")),
        "inspections": inspections,
    }


# -- the problem from the records ------------------------------------------------------------


def _heavy_and_light(
    area_ids: set[int], start: date, end: date
) -> tuple[dict[int, list[tuple[date, date]]], dict[int, list[tuple[date, date]]]]:
    """Planned setting inspections of each area's organisations in the programme's years (the
    burden ledger's planned entries): coordinated ones (two bodies or more) or those of
    ECM_PROGRAMME_HEAVY_DAYS days or more are heavy; the rest light."""
    heavy: dict[int, list[tuple[date, date]]] = defaultdict(list)
    light: dict[int, list[tuple[date, date]]] = defaultdict(list)
    qs = (
        SettingInspection.objects.filter(
            status=InspectionStatus.PLANNED,
            ends_on__gte=start,
            starts_on__lte=end,
            inspected__provider__area_id__in=area_ids,
        )
        .prefetch_related("other_inspectorates")
        .values_list("pk", "starts_on", "ends_on", "inspected__provider__area_id")
        .distinct()
    )
    coordinated = set(
        SettingInspection.objects.filter(other_inspectorates__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for pk, s, e, area_id in qs:
        days = (e - s).days + 1
        if pk in coordinated or days >= settings.ECM_PROGRAMME_HEAVY_DAYS:
            heavy[area_id].append((s, e))
        else:
            light[area_id].append((s, e))
    return heavy, light


def problem_build(
    *,
    programme: Programme,
    previous: ProgrammeVersion | None = None,
    urgent: dict[str, date] | None = None,
    unavailable: dict[str, list[tuple[date, date]]] | None = None,
    left: dict[int, date] | None = None,
    today: date | None = None,
    release: set[str] | None = None,
) -> p.Problem:
    """The scheduling problem of `programme` from the records: the current areas with their
    risk (of the year before the start), corporate assessments and other inspection; every
    inspector of a body taking part, with their absences and setting inspections (one who
    has left is unavailable from the day they left: `left`, else the day the record was made
    inactive); and, when re-planning, the previous version and how firmly each of its reviews
    is held (`release`: areas whose held review the national lead lets move)."""
    start = programme.starts_on
    end = p.third_anniversary(start, programme.years)
    areas = list(Area.objects.current().order_by("gss_code"))
    ids = {a.pk for a in areas}
    risks = area_risks(year=start.year - 1)
    cas = corporate_assessments_in_force(ids)
    heavy, light = _heavy_and_light(ids, start, end)
    urgent = urgent or {}
    unavailable = unavailable or {}
    area_inputs = []
    for a in areas:
        ca = cas.get(a.pk)
        area_inputs.append(
            p.AreaInput(
                gss=a.gss_code,
                name=a.name,
                region=a.region_code,
                risk=risks[a.gss_code].score,
                corporate_assessment=p.CorporateAssessment(
                    ca.starts_on, ca.ends_on, p.Sequencing(ca.option)
                )
                if ca
                else None,
                heavy=tuple(heavy[a.pk]),
                light=tuple(light[a.pk]),
                unavailable=tuple(unavailable.get(a.gss_code, ())),
                urgent_from=urgent.get(a.gss_code),
            )
        )
    inspectors = []
    qs = (
        Inspector.objects.filter(inspectorate__takes_part_in_joint_area_reviews=True)
        .select_related("inspectorate")
        .prefetch_related("outcome_expertise", "absences")
        .order_by("pk")
    )
    setting_work: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for iid, s, e in SettingInspection.objects.filter(
        ends_on__gte=start, starts_on__lte=end
    ).values_list("inspectors", "starts_on", "ends_on"):
        if iid is not None:
            setting_work[iid].append((s, e))
    inspectors_ = list(qs)
    left_on = {**_left_on({i.pk for i in inspectors_ if not i.is_active}), **(left or {})}
    horizon = end + timedelta(days=60)
    for i in inspectors_:
        off = [(x.starts_on, x.ends_on) for x in i.absences.all()] + setting_work[i.pk]
        gone = left_on.get(i.pk)
        if gone is not None:
            off.append((gone, max(gone, horizon)))
        inspectors.append(
            p.InspectorInput(
                id=i.pk,
                body=i.inspectorate.code,
                is_lead=i.grade == "lead",
                region=i.home_region_code,
                outcomes=frozenset(o.code for o in i.outcome_expertise.all()),
                days_per_week=i.days_per_week,
                unavailable=tuple(sorted(off)),
                # Left on a known day: available before it (their past reviews stand).
                is_active=i.is_active or gone is not None,
                name=i.full_name,
                left_on=gone,
            )
        )
    problem = p.Problem(
        start=start,
        years=programme.years,
        areas=area_inputs,
        inspectors=inspectors,
        team_size=settings.ECM_PROGRAMME_TEAM_SIZE,
        team_min=settings.ECM_REVIEW_TEAM_MIN,
        team_max=settings.ECM_REVIEW_TEAM_MAX,
        review_share=settings.ECM_PROGRAMME_REVIEW_SHARE,
    )
    if previous is not None:
        problem.previous, problem.fixity, problem.fixed_teams = held_reviews(
            previous, today=today, release=release
        )
    return problem


def _left_on(inspector_ids: set[int]) -> dict[int, date]:
    """For inspectors no longer active: the day their record was made inactive (the audit
    trail), where it shows one."""
    if not inspector_ids:
        return {}
    out: dict[int, date] = {}
    rows = (
        Inspector.history.model.objects.filter(id__in=inspector_ids)  # type: ignore[attr-defined]
        .order_by("id", "history_date", "history_id")
        .values_list("id", "is_active", "history_date")
    )
    was_active: dict[int, bool] = {}
    for pk, active, when in rows:
        if active:
            out.pop(pk, None)
        elif was_active.get(pk):
            out[pk] = timezone.localdate(when)
        was_active[pk] = active
    return out


def held_reviews(
    version: ProgrammeVersion, *, today: date | None = None, release: set[str] | None = None
) -> tuple[dict[str, p.PlannedReview], dict[str, p.Fixity], set[str]]:
    """The previous version's reviews and how firmly each is held: notified (the area is
    notified, a review record is past planning, or its analysis has started: dates and team
    fixed), confirmed (its financial year is confirmed: dates fixed, and the team where the
    year was confirmed with its teams) or indicative; `release` makes a held one indicative.
    Returns the reviews, their fixity, and the areas whose team is held."""
    today = today or timezone.localdate()
    confirmations = dict(
        YearConfirmation.objects.filter(programme=version.programme).values_list(
            "financial_year", "teams"
        )
    )
    notified_areas = set(
        Review.objects.exclude(stage=Stage.PLANNED)
        .filter(analysis_starts_on__gte=version.programme.starts_on)
        .values_list("area__gss_code", flat=True)
    )
    release = release or set()
    previous, fixity, teams = {}, {}, set()
    for r in version.document.get("reviews", []):
        analysis = date.fromisoformat(r["analysis_start"])
        previous[r["area"]] = p.PlannedReview(
            gss=r["area"],
            analysis_start=analysis,
            fieldwork_start=date.fromisoformat(r["fieldwork_start"]),
            fieldwork_end=date.fromisoformat(r["fieldwork_end"]),
            leader=r["leader"],
            team=tuple(m["inspector"] for m in r["team"]),
        )
        year = financial_year(analysis)
        if r["area"] in release:
            fixity[r["area"]] = p.Fixity.INDICATIVE
        elif r["area"] in notified_areas or analysis <= today:
            fixity[r["area"]] = p.Fixity.NOTIFIED
            teams.add(r["area"])
        elif year in confirmations:
            fixity[r["area"]] = p.Fixity.CONFIRMED
            if confirmations[year]:
                teams.add(r["area"])
        else:
            fixity[r["area"]] = p.Fixity.INDICATIVE
    return previous, fixity, teams


def financial_year(day: date) -> int:
    """The year in which the financial year (April to March) holding `day` starts."""
    return day.year if day.month >= 4 else day.year - 1


# -- who sees what ---------------------------------------------------------------------------


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


# -- the start page ------------------------------------------------------------------------


def risk_year(today: date) -> int:
    """The year the start page's risk ranking is read for: as at the end of the last whole year
    (as a plan reads it: the year before the programme starts)."""
    return today.year - 1


def _ends_on(programme: Programme) -> date:
    start = programme.starts_on
    return date(start.year + programme.years, start.month, 1)


def programme_work_for_user(*, user: Any, today: date) -> list[WorkItem]:
    """For the national and inspectorate leads: the programme (`programme.view_programme`),
    with the national lead's steps on it (a proposed version to approve, the next financial
    year to confirm by 31 December before it), and the risk ranking (`programme.view_risk`)."""
    items: list[WorkItem] = []
    if user.has_perm("programme.view_programme"):
        href = reverse("programme:index")
        version = current_version()
        items.append(
            work_item(
                "Programme and risk",
                "The programme of joint area reviews",
                href,
                today=today,
                detail=f"Version {version.number}: {version.get_status_display().lower()}."
                if version
                else "No programme has been planned yet.",
                is_task=False,
            )
        )
        if (
            version is not None
            and version.status == VersionStatus.PROPOSED
            and user.has_perm("programme.approve")
        ):
            items.append(
                work_item(
                    "Programme and risk",
                    f"Approve or re-plan version {version.number} of the programme",
                    href,
                    today=today,
                )
            )
        coming = financial_year(today) + 1
        if (
            version is not None
            and version.status == VersionStatus.APPROVED
            and user.has_perm("programme.confirm_year")
            and version.programme.starts_on <= date(coming + 1, 3, 31)
            and date(coming, 4, 1) < _ends_on(version.programme)
            and not YearConfirmation.objects.filter(
                programme=version.programme, financial_year=coming
            ).exists()
        ):
            items.append(
                work_item(
                    "Programme and risk",
                    f"Confirm the programme for the financial year {coming} to {coming + 1}",
                    href,
                    today=today,
                    due=date(coming - 1, 12, 31),  # 2004 proposals: confirmed each December
                )
            )
    if user.has_perm("programme.view_risk"):
        year = risk_year(today)
        items.append(
            work_item(
                "Programme and risk",
                f"The risk ranking of every area, {year}",
                reverse("programme:risk", args=[year]),
                today=today,
                detail="Each area's chance of being found wanting, from earlier inspections.",
                is_task=False,
            )
        )
    return items
