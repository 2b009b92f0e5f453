"""The scheduling problem of a programme built from the records: the registry, setting
inspections, corporate assessments, each area's risk and the previous version (how firmly each
of its reviews is held)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from ecm_inspect.provision.models import InspectionStatus, SettingInspection
from ecm_inspect.registry.models import Area, Inspector
from ecm_inspect.reviews.models import Review, Stage

from .. import problem as p
from ..models import CorporateAssessment, Programme, ProgrammeVersion, YearConfirmation
from ..risk import RiskScore
from ..risk_evidence import area_risks
from .areas import corporate_assessments_in_force


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
    area_inputs = _area_inputs(
        areas,
        risks=risks,
        cas=corporate_assessments_in_force(ids),
        heavy_and_light=_heavy_and_light(ids, start, end),
        urgent=urgent or {},
        unavailable=unavailable or {},
    )
    inspectors = _inspector_inputs(start=start, end=end, left=left)
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


def _area_inputs(
    areas: list[Area],
    *,
    risks: dict[str, RiskScore],
    cas: dict[int, CorporateAssessment],
    heavy_and_light: tuple[dict[int, list[tuple[date, date]]], dict[int, list[tuple[date, date]]]],
    urgent: dict[str, date],
    unavailable: dict[str, list[tuple[date, date]]],
) -> list[p.AreaInput]:
    """Each current area with its risk, corporate assessment and other inspection."""
    heavy, light = heavy_and_light
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
    return area_inputs


def _inspector_inputs(
    *, start: date, end: date, left: dict[int, date] | None
) -> list[p.InspectorInput]:
    """Every inspector of a body taking part, with their absences and setting inspections (one
    who has left is unavailable from the day they left)."""
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
    return inspectors


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
