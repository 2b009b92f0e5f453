"""The annual performance assessment (APA): proposing grades for every area in a year,
recording the assessing inspector's grades, the self-assessment, critical incidents and
intervention alerts."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ecm_inspect.core.concurrency import record_update
from ecm_inspect.framework.grades import Grade, grade_words
from ecm_inspect.registry.models import Area

from .models import (
    OUTCOME_CODES,
    SERVICE_MANAGEMENT,
    AlertKind,
    Assessment,
    AssessmentJudgement,
    AssessmentSource,
    CpaBlockScore,
    CriticalIncident,
    InterventionAlert,
    JudgementKind,
)
from .proposals import (
    PREVIOUS_DISAGREES,
    PreviousFinding,
    Proposal,
    capacity_proposal,
    overall_proposal,
    previous_inspection_evidence,
)
from .readings import (
    YearData,
    area_judgement_proposals,
    inspection_grades,
    previous_findings,
    self_grades_of,
    year_data,
)

Progress = Callable[[int, int], None]


class AssessmentRefused(Exception):
    pass


# -- hooks to the joint area review and its follow-up -------------------------------------


# Grades the joint area review of an area published in a year supplies for that year's APA,
# {judgement kind: grade}, or None where no review of the area was published that year (its
# findings then supply the APA, so the area is not assessed twice: 2004 proposals, section 4).
# The report feature registers the function that finds the review and reads its recorded
# judgements.
REVIEW_GRADES: list[Callable[[Area, int], dict[str, int] | None]] = []
# What the APA follows up from the last review's statement of proposed action, as lines for
# the letter. The follow-up feature registers the function that reads the actions.
FOLLOW_UP: list[Callable[[Area, int], list[str]]] = []


def _review_grades(area: Area, year: int) -> dict[str, int] | None:
    """The grades of the review of the area published in the year, if one was."""
    for source in REVIEW_GRADES:
        grades = source(area, year)
        if grades is not None:
            return grades
    return None


# -- running the assessment ---------------------------------------------------------------


def _overall_and_capacity(
    proposals: dict[str, Proposal], before: dict[str, Proposal]
) -> tuple[Proposal, Proposal]:
    """Overall effectiveness and capacity to improve, from the outcomes and service management
    (and, for capacity, how the outcomes moved since the year before)."""
    outcomes = {k: proposals[k] for k in OUTCOME_CODES}
    overall = overall_proposal(outcomes, proposals[SERVICE_MANAGEMENT])
    capacity = capacity_proposal(
        proposals[SERVICE_MANAGEMENT],
        overall,
        {k: p.score for k, p in outcomes.items()},
        {k: before[k].score for k in OUTCOME_CODES},
    )
    return overall, capacity


def _take_the_review(
    area: Area,
    proposals: dict[str, Proposal],
    supplied: dict[str, int],
    before: dict[str, Proposal],
) -> None:
    """In the year a joint area review of the area is published, the APA takes the review's
    grade for the council's own services on each outcome (and its service management grade)
    and recomputes overall effectiveness and capacity to improve from them, by the same rules
    as any year (2004 proposals, section 4: the review supplies that year's assessment)."""
    for kind in (*OUTCOME_CODES, SERVICE_MANAGEMENT):
        proposal = proposals[kind]
        if kind in supplied:
            proposal.grade = Grade(supplied[kind])
            what = (
                "its grade for the council's own services" if kind in OUTCOME_CODES else "its grade"
            )
            proposal.reasons.insert(
                0,
                f"The joint area review of {area.name} was published this year: {what} "
                "supplies this judgement.",
            )
        else:
            proposal.reasons.insert(
                0,
                f"The joint area review of {area.name} was published this year but graded no "
                "such judgement: the APA's own proposal stands.",
            )
    overall, capacity = _overall_and_capacity(proposals, before)
    note = (
        f"The joint area review of {area.name} was published this year: recomputed from the "
        "review's grades for the council's own services on each outcome and its service "
        "management grade."
    )
    overall.reasons.insert(0, note)
    capacity.reasons.insert(0, note)
    proposals["overall"], proposals["capacity"] = overall, capacity


def _specification(proposals: dict[str, Proposal]) -> list[dict[str, str]]:
    """The seed of the next review's fieldwork: what looks weak or uncertain, and why."""
    seed = []
    for kind, proposal in proposals.items():
        if proposal.grade is None:
            seed.append(
                {"judgement": kind, "why": "insufficient evidence: " + proposal.reasons[-1]}
            )
        elif proposal.grade <= 2:
            seed.append(
                {"judgement": kind, "why": f"{grade_words(proposal.grade)}: {proposal.reasons[0]}"}
            )
        elif any(PREVIOUS_DISAGREES in r for r in proposal.reasons):
            seed.append(
                {"judgement": kind, "why": "the previous inspection and the evidence disagree"}
            )
        elif any("two grades or more" in r for r in proposal.reasons):
            seed.append({"judgement": kind, "why": "the self-assessment and the evidence disagree"})
    return seed


@dataclass
class RunResult:
    year: int
    assessments: list[Assessment]
    alerts: list[InterventionAlert]


def _area_proposals(
    data: YearData,
    area: Area,
    year: int,
    inspections: dict[int, dict[str, dict[int, int]]],
    inspections_before: dict[int, dict[str, dict[int, int]]],
    self_grades: dict[int, dict[str, int]],
    earlier: dict[int, list[PreviousFinding]],
) -> tuple[dict[str, Proposal], str]:
    """Every judgement's proposal for one area (outcomes, service management, overall and
    capacity), taking a review published that year, and the assessment's source."""
    proposals = area_judgement_proposals(
        data, area, year, inspections.get(area.pk, {}), self_grades.get(area.pk, {})
    )
    before = area_judgement_proposals(data, area, year - 1, inspections_before.get(area.pk, {}), {})
    proposals["overall"], proposals["capacity"] = _overall_and_capacity(proposals, before)
    supplied = _review_grades(area, year)
    source = AssessmentSource.APA
    if supplied is not None:
        source = AssessmentSource.JOINT_AREA_REVIEW
        _take_the_review(area, proposals, supplied, before)
    for line in (f(area, year) for f in FOLLOW_UP):
        proposals["overall"].reasons.extend(line)
    previous_inspection_evidence(proposals, earlier.get(area.pk, []))
    return proposals, source


@dataclass
class _Writes:
    """What a run writes once every area is done."""

    create: list[AssessmentJudgement] = field(default_factory=list)
    update: list[AssessmentJudgement] = field(default_factory=list)
    alerts: list[InterventionAlert] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)


def _judgements_compare(
    writes: _Writes,
    assessment: Assessment,
    proposals: dict[str, Proposal],
    existing: dict[tuple[int, str], AssessmentJudgement],
    previous: dict[tuple[int, str], int | None],
) -> list[str]:
    """Each judgement's proposal against what is held (created or refreshed); returns the
    judgements that fell to inadequate since the year before, in words."""
    fell: list[str] = []
    year = assessment.year
    for kind, proposal in proposals.items():
        judgement = existing.get((assessment.pk, kind))
        if judgement is None:
            writes.create.append(
                AssessmentJudgement(
                    assessment=assessment, kind=kind, proposed_grade=proposal.grade,
                    reasons=proposal.reasons,
                )
            )  # fmt: skip
        elif (judgement.proposed_grade, judgement.reasons) != (proposal.grade, proposal.reasons):
            judgement.proposed_grade, judgement.reasons = proposal.grade, proposal.reasons
            writes.update.append(judgement)
        grade_now = judgement.grade if judgement and judgement.recorded_grade else proposal.grade
        grade_before = previous.get((assessment.area_id, kind))
        if grade_now == Grade.INADEQUATE and grade_before is not None and grade_before > 1:
            fell.append(
                f"{JudgementKind(kind).label.lower()} ({grade_words(grade_before)} in {year - 1})"
            )
    return fell


def _writes_save(writes: _Writes, assessments: list[Assessment]) -> list[InterventionAlert]:
    """Write the run's proposals, block scores and alerts; returns the alerts newly raised."""
    bulk_create_with_history(writes.create, AssessmentJudgement, batch_size=2000)
    if writes.update:
        bulk_update_with_history(
            writes.update, AssessmentJudgement, ["proposed_grade", "reasons"], batch_size=2000
        )
    if writes.assessments:
        bulk_update_with_history(
            writes.assessments, Assessment, ["source", "fieldwork_specification", "proposed_at"]
        )
    cpa_block_scores_write(assessments)
    raised = []
    for alert in writes.alerts:
        made, created = InterventionAlert.objects.get_or_create(
            area=alert.area, year=alert.year, kind=alert.kind, incident=None,
            defaults={"message": alert.message},
        )  # fmt: skip
        if created:
            raised.append(made)
    return raised


@transaction.atomic
def apa_run(
    *, year: int, areas: Iterable[Area] | None = None, progress: Progress | None = None
) -> RunResult:
    """Propose every judgement of the APA for each area (all current areas if none given) in
    `year`. Recorded grades are kept; proposals and their reasons are refreshed. Raises an
    intervention alert where a judgement fell to inadequate since the year before."""
    chosen = list(areas) if areas is not None else list(Area.objects.current().order_by("name"))
    data = year_data(year)
    inspections = inspection_grades(chosen, year)
    inspections_before = inspection_grades(chosen, year - 1)
    self_grades = self_grades_of(year)
    earlier = previous_findings(chosen, year)
    assessments = {a.area_id: a for a in Assessment.objects.filter(year=year, area__in=chosen)}
    previous = {
        (j.assessment.area_id, j.kind): j.grade
        for j in AssessmentJudgement.objects.filter(
            assessment__year=year - 1, assessment__area__in=chosen
        ).select_related("assessment")
    }
    now = timezone.now()
    new_assessments = [
        Assessment(area=a, year=year, proposed_at=now) for a in chosen if a.pk not in assessments
    ]
    bulk_create_with_history(new_assessments, Assessment)
    for a in Assessment.objects.filter(year=year, area__in=chosen):
        assessments[a.area_id] = a
    existing = {
        (j.assessment_id, j.kind): j
        for j in AssessmentJudgement.objects.filter(assessment__in=assessments.values())
    }
    writes = _Writes()
    for number, area in enumerate(chosen, 1):
        assessment = assessments[area.pk]
        proposals, source = _area_proposals(
            data, area, year, inspections, inspections_before, self_grades, earlier
        )
        seed = _specification(proposals)
        if (assessment.source, assessment.fieldwork_specification) != (source, seed):
            assessment.source, assessment.fieldwork_specification = source, seed
            assessment.proposed_at = now
            writes.assessments.append(assessment)
        fell = _judgements_compare(writes, assessment, proposals, existing, previous)
        if fell:
            writes.alerts.append(
                InterventionAlert(
                    area=area, kind=AlertKind.DETERIORATION, year=year,
                    message=f"{area.name}: fell to inadequate in {year}: {', '.join(fell)}.",
                )
            )  # fmt: skip
        if progress is not None:
            progress(number, len(chosen))
    raised = _writes_save(writes, list(assessments.values()))
    return RunResult(year, list(assessments.values()), raised)


def cpa_block_scores_write(assessments: list[Assessment]) -> list[CpaBlockScore]:
    """Store each assessment's overall grade as the council's CPA children and young people
    block score for the year, with its source (the APA, or the review published that year)
    and whether the assessing inspector has decided it."""
    overall = {
        j.assessment_id: j
        for j in AssessmentJudgement.objects.filter(
            assessment__in=assessments, kind=JudgementKind.OVERALL
        )
    }
    have = {b.assessment_id: b for b in CpaBlockScore.objects.filter(assessment__in=assessments)}
    create, update = [], []
    for assessment in assessments:
        judgement = overall.get(assessment.pk)
        values = {
            "score": judgement.grade if judgement else None,
            "source": assessment.source,
            "decided": bool(judgement and judgement.recorded_grade),
        }
        block = have.get(assessment.pk)
        if block is None:
            create.append(
                CpaBlockScore(area_id=assessment.area_id, year=assessment.year,
                              assessment=assessment, **values)
            )  # fmt: skip
        elif any(getattr(block, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(block, k, v)
            block.written_at = timezone.now()
            update.append(block)
    bulk_create_with_history(create, CpaBlockScore, batch_size=2000)
    if update:
        bulk_update_with_history(
            update, CpaBlockScore, ["score", "source", "decided", "written_at"], batch_size=2000
        )
    return [*create, *update]


# -- the assessing inspector's decision ---------------------------------------------------


@transaction.atomic
def judgement_record(
    *,
    judgement: AssessmentJudgement,
    grade: int,
    rationale: str,
    override_reason: str = "",
    seen_version: int,
    by: Any,
) -> AssessmentJudgement:
    """Record the grade that stands, with its rationale; a grade other than the proposal needs
    a reason. Audited; refused if someone else recorded it since `seen_version`."""
    if judgement.assessment.letter_status == "published":
        raise AssessmentRefused("The letter is published: its grades can no longer change.")
    problems = []
    if grade not in (1, 2, 3, 4):
        problems.append("A grade is 1 (inadequate) to 4 (outstanding).")
    if not rationale.strip():
        problems.append("Give the rationale for the grade.")
    if (
        judgement.proposed_grade is not None
        and grade != judgement.proposed_grade
        and not override_reason.strip()
    ):
        problems.append(
            f"The proposal was {judgement.proposed_grade}: say why the grade differs from it."
        )
    if problems:
        raise AssessmentRefused(" ".join(problems))
    saved = record_update(
        record=judgement,
        seen_version=seen_version,
        changes={
            "recorded_grade": grade,
            "rationale": rationale.strip(),
            "override_reason": override_reason.strip(),
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
        by=by,
    )
    if judgement.kind == JudgementKind.OVERALL:
        cpa_block_scores_write([judgement.assessment])
    return saved


# -- critical incidents -------------------------------------------------------------------


@transaction.atomic
def critical_incident_log(
    *,
    area: Area,
    kind: str,
    occurred_on: datetime.date,
    source: str,
    description: str = "",
    by: Any = None,
) -> CriticalIncident:
    """Log a critical incident (a serious case review, a school placed in special measures...)
    and raise an intervention alert for the national lead at once."""
    if not source.strip():
        raise AssessmentRefused("Say where the incident was reported (the source).")
    incident = CriticalIncident(
        area=area, kind=kind, occurred_on=occurred_on, source=source, description=description,
        logged_by=by,
    )  # fmt: skip
    incident._history_user = by  # type: ignore[attr-defined]
    incident.save()
    InterventionAlert.objects.create(
        area=area, kind=AlertKind.CRITICAL_INCIDENT, year=occurred_on.year, incident=incident,
        message=f"{area.name}: {incident.get_kind_display().lower()} on "
        f"{occurred_on:%-d %B %Y} ({source}).",
    )  # fmt: skip
    return incident


def alert_acknowledge(*, alert: InterventionAlert, by: Any) -> InterventionAlert:
    alert.acknowledged_by, alert.acknowledged_at = by, timezone.now()
    alert._history_user = by  # type: ignore[attr-defined]
    alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return alert
