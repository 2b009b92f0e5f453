"""Writes and workflows of the programme: plan, re-plan, approve, confirm a financial year,
publish; planning in the background (the job; tasks.py runs it); the generated (synthetic)
workforce."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ecm_inspect.core.concurrency import record_update
from ecm_inspect.framework.models import Outcome
from ecm_inspect.registry.models import Area, Inspector, InspectorAbsence, Inspectorate

from . import problem as p
from .checker import context_build
from .greedy import greedy
from .models import (
    CorporateAssessment,
    Fixity,
    Programme,
    ProgrammeVersion,
    ReviewSlot,
    VersionStatus,
    YearConfirmation,
)
from .selectors import current_version, financial_year, problem_build
from .solver import Progress, Result, solve


class ProgrammeRefused(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def document_build(problem: p.Problem, result: Result) -> dict[str, Any]:
    """The programme in the published JSON format (issue 11; docs/programme.md), exactly."""
    body = {i.id: i.body for i in problem.inspectors}
    return {
        "reviews": [
            {
                "area": r.gss,
                "analysis_start": r.analysis_start.isoformat(),
                "fieldwork_start": r.fieldwork_start.isoformat(),
                "fieldwork_end": r.fieldwork_end.isoformat(),
                "leader": r.leader,
                "team": [{"inspector": i, "body": body[i]} for i in r.team],
            }
            for r in result.reviews
        ],
        "inspectors": [
            {
                "id": i.id,
                "body": i.body,
                "unavailable": [[s.isoformat(), e.isoformat()] for s, e in i.unavailable],
            }
            for i in problem.inspectors
        ],
        "objective": result.objective,
        "bound": result.bound,
        "solver_status": result.status,
    }


def moved_between(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """What a re-plan changed: each review whose dates moved (`from` and `to`, the analysis
    starts, old -> new) and each whose team changed (`team`: who joined, `left`: who came
    off)."""
    old = {r["area"]: r for r in before.get("reviews", [])}
    out = []
    for r in after.get("reviews", []):
        was = old.get(r["area"])
        if was is None:
            out.append(
                {"area": r["area"], "from": None, "to": r["analysis_start"], "team": [], "left": []}
            )
            continue
        now_team = {m["inspector"] for m in r["team"]}
        was_team = {m["inspector"] for m in was["team"]}
        joined, off = sorted(now_team - was_team), sorted(was_team - now_team)
        if was["analysis_start"] != r["analysis_start"] or joined or off:
            out.append(
                {
                    "area": r["area"],
                    "from": was["analysis_start"],
                    "to": r["analysis_start"],
                    "team": joined,
                    "left": off,
                }
            )
    return out


@transaction.atomic
def version_store(
    *,
    programme: Programme,
    problem: p.Problem,
    result: Result,
    by: Any = None,
    based_on: ProgrammeVersion | None = None,
    note: str = "",
) -> ProgrammeVersion:
    document = document_build(problem, result)
    number = (
        programme.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=number,
        based_on=based_on,
        method=result.method,
        solver_status=result.status,
        objective=result.objective,
        bound=result.bound,
        relaxation_bound=result.stages.get("relaxation_bound"),
        seconds=result.seconds,
        document=document,
        context=context_build(problem),
        moved=moved_between(based_on.document, document) if based_on else [],
        reasons=[
            {"constraint": r.constraint, "detail": r.detail, "by": r.shortfall}
            for r in result.reasons
        ],
        note=note,
        created_by=by if getattr(by, "pk", None) else None,
    )
    areas = {a.gss_code: a for a in Area.objects.all()}
    risks = {a.gss: a.risk for a in problem.areas}
    inspectors = {
        i.pk: i
        for i in Inspector.objects.filter(pk__in={m for r in result.reviews for m in r.team})
    }
    for r in result.reviews:
        slot = ReviewSlot.objects.create(
            version=version,
            area=areas[r.gss],
            analysis_start=r.analysis_start,
            fieldwork_start=r.fieldwork_start,
            fieldwork_end=r.fieldwork_end,
            leader=inspectors[r.leader],
            fixity=problem.fixity.get(r.gss, Fixity.INDICATIVE),
            risk=risks.get(r.gss, 0),
        )
        slot.team.set([inspectors[i] for i in r.team])
    return version


def programme_plan(
    *,
    starts_on: date,
    years: int = 3,
    time_limit: float = 60.0,
    by: Any = None,
    progress: Progress | None = None,
    method: str = "cp-sat",
    workers: int | None = None,
) -> tuple[ProgrammeVersion | None, Result, p.Problem]:
    """Plan the programme from `starts_on` (a new cycle, or a new version of the cycle that
    starts then). An infeasible problem stores nothing and returns the reasons."""
    programme, _ = Programme.objects.get_or_create(starts_on=starts_on, years=years)
    problem = problem_build(programme=programme)
    result = (
        greedy(problem)
        if method == "greedy"
        else solve(
            problem,
            time_limit=time_limit,
            workers=workers or settings.ECM_PROGRAMME_SOLVER_WORKERS,
            progress=progress,
        )
    )
    if not result.feasible:
        return None, result, problem
    return (
        version_store(programme=programme, problem=problem, result=result, by=by),
        result,
        problem,
    )


def programme_replan(
    *,
    programme: Programme,
    time_limit: float = 60.0,
    urgent: dict[str, date] | None = None,
    unavailable: dict[str, list[tuple[date, date]]] | None = None,
    left: set[int] | None = None,
    release: set[str] | None = None,
    by: Any = None,
    progress: Progress | None = None,
    today: date | None = None,
    workers: int | None = None,
    note: str = "",
) -> tuple[ProgrammeVersion | None, Result, p.Problem]:
    """Re-plan from the version in force. Held reviews (confirmed: their financial year is
    confirmed; notified) keep their dates, and their teams where those are held, by hard
    constraints; every other review moves only when it must (each move costs more than any
    gain in earliness), and the solver starts from the previous plan. Inspectors in `left`
    are recorded as having left today; `release` lets the held reviews of those areas move.
    If the held reviews cannot all be kept, nothing is stored and the reasons name them."""
    today = today or timezone.localdate()
    previous = current_version(programme)
    if previous is None:
        raise ProgrammeRefused(["there is no programme to re-plan: plan one first"])
    for inspector in Inspector.objects.filter(pk__in=left or set(), is_active=True):
        record_update(
            record=inspector, seen_version=inspector.version, changes={"is_active": False}, by=by
        )
    problem = problem_build(
        programme=programme,
        previous=previous,
        urgent=urgent,
        unavailable=unavailable,
        left=dict.fromkeys(left or set(), today),
        today=today,
        release=release,
    )
    result = solve(
        problem,
        time_limit=time_limit,
        workers=workers or settings.ECM_PROGRAMME_SOLVER_WORKERS,
        progress=progress,
    )
    if not result.feasible:
        return None, result, problem
    version = version_store(
        programme=programme, problem=problem, result=result, by=by, based_on=previous, note=note
    )
    return version, result, problem


@transaction.atomic
def version_approve(*, version: ProgrammeVersion, by: Any = None) -> ProgrammeVersion:
    """The national lead approves a version: it becomes the programme in force."""
    if version.status == VersionStatus.SUPERSEDED:
        raise ProgrammeRefused(["a superseded version cannot be approved"])
    for old in ProgrammeVersion.objects.filter(
        programme=version.programme, status=VersionStatus.APPROVED
    ).exclude(pk=version.pk):
        old.status = VersionStatus.SUPERSEDED
        old._change_reason = f"superseded by version {version.number}"  # type: ignore[attr-defined]
        old.save(update_fields=["status"])
    version.status = VersionStatus.APPROVED
    version._change_reason = "approved"  # type: ignore[attr-defined]
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def year_confirm(
    *,
    programme: Programme,
    financial_year_start: int,
    teams: bool = False,
    by: Any = None,
    today: date | None = None,
) -> YearConfirmation:
    """Confirm the programme for the financial year starting in April of
    `financial_year_start`: due by 31 December before it (2004 proposals). Its reviews become
    confirmed: a re-plan keeps their dates (and, with `teams`, their teams) fixed."""
    today = today or timezone.localdate()
    version = ProgrammeVersion.objects.filter(
        programme=programme, status=VersionStatus.APPROVED
    ).first()
    if version is None:
        raise ProgrammeRefused(["approve a version before confirming a year of it"])
    if YearConfirmation.objects.filter(
        programme=programme, financial_year=financial_year_start
    ).exists():
        raise ProgrammeRefused([f"{financial_year_start} is already confirmed"])
    confirmation = YearConfirmation.objects.create(
        programme=programme,
        financial_year=financial_year_start,
        version=version,
        confirmed_on=today,
        teams=teams,
        confirmed_by=by if getattr(by, "pk", None) else None,
    )
    for slot in version.slots.filter(fixity=Fixity.INDICATIVE):
        if financial_year(slot.analysis_start) == financial_year_start:
            slot.fixity = Fixity.CONFIRMED
            slot.save(update_fields=["fixity"])
    return confirmation


@transaction.atomic
def version_publish(*, version: ProgrammeVersion, by: Any = None) -> ProgrammeVersion:
    """Publish an approved version: the public sees its dates, without inspectors' names."""
    if version.status != VersionStatus.APPROVED:
        raise ProgrammeRefused(["only the approved version is published"])
    version.published_at = timezone.now()
    version._change_reason = "published"  # type: ignore[attr-defined]
    version.save(update_fields=["published_at"])
    return version


# -- the generated workforce -----------------------------------------------------------------


@transaction.atomic
def workforce_generate(*, seed: int = 1, start: date, years: int = 3) -> int:
    """Write the generated national workforce (workforce.py: ~300 SYNTHETIC inspectors with
    leave and setting-inspection load) and a SYNTHETIC corporate assessment for every current
    area without one. Idempotent: inspectors already there (by name) are left alone. Returns
    how many inspectors were created."""
    from .workforce import synthetic_corporate_assessments, synthetic_inspectors

    areas = list(Area.objects.current())
    regions = Counter(a.region_code for a in areas)
    bodies = {b.code: b for b in Inspectorate.objects.all()}
    outcomes = {o.code: o for o in Outcome.objects.filter(version__code="2005")}
    existing = set(Inspector.objects.filter(is_synthetic=True).values_list("full_name", flat=True))
    created = 0
    for person, name, grade, off in synthetic_inspectors(
        seed=seed, start=start, years=years, regions=dict(regions)
    ):
        if name in existing or person.body not in bodies:
            continue
        inspector = Inspector.objects.create(
            full_name=name,
            inspectorate=bodies[person.body],
            grade=grade,
            home_region_code=person.region,
            days_per_week=person.days_per_week,
            is_synthetic=True,
        )
        inspector.outcome_expertise.set([outcomes[o] for o in person.outcomes if o in outcomes])
        InspectorAbsence.objects.bulk_create(
            InspectorAbsence(inspector=inspector, starts_on=s, ends_on=e, reason=why)
            for s, e, why in off
        )
        created += 1
    have = set(CorporateAssessment.objects.values_list("area_id", flat=True))
    by_gss = {a.gss_code: a for a in areas}
    cas = synthetic_corporate_assessments(
        seed=seed, gss_codes=sorted(by_gss), start=start, years=years
    )
    CorporateAssessment.objects.bulk_create(
        CorporateAssessment(
            area=by_gss[g],
            starts_on=ca.starts_on,
            ends_on=ca.ends_on,
            option=int(ca.option),
            is_synthetic=True,
        )
        for g, ca in cas.items()
        if by_gss[g].pk not in have
    )
    return created


# -- planning in the background --------------------------------------------------------------
