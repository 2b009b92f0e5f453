"""The annual performance assessment (APA): proposing grades for every area in a year,
recording the assessing inspector's grades, the self-assessment, critical incidents and
intervention alerts."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ecm_inspect.accounts.uploads import (
    UploadRefused,
    sha256_of,
    store_on_commit,
    stored_name,
    upload_check,
)
from ecm_inspect.core.concurrency import record_update
from ecm_inspect.framework.grades import Grade
from ecm_inspect.provision.selectors import areas_pool
from ecm_inspect.registry.models import Area, StatisticalNeighbour

from .models import (
    OUTCOME_CODES,
    SERVICE_MANAGEMENT,
    AlertKind,
    AreaInspection,
    Assessment,
    AssessmentJudgement,
    AssessmentSource,
    CouncilDocument,
    CouncilDocumentKind,
    CpaBlockScore,
    CriticalIncident,
    IndicatorDefinition,
    IndicatorValue,
    InterventionAlert,
    JudgementKind,
    SelfAssessment,
    SelfAssessmentPart,
    SelfAssessmentStatus,
    SubmittedSelfAssessment,
)
from .proposals import (
    GRADE_WORDS,
    MIN_NEIGHBOURS,
    PREVIOUS_DISAGREES,
    PREVIOUS_YEARS,
    IndicatorReading,
    PreviousFinding,
    Proposal,
    capacity_proposal,
    group_proposal,
    overall_proposal,
    previous_inspection_evidence,
)
from .selectors import apa_years_open

Progress = Callable[[int, int], None]


class AssessmentRefused(Exception):
    pass


# -- what the rule reads, for every area at once ------------------------------------------


@dataclass
class _YearData:
    """Every indicator value for a year and the year before, read in one query."""

    definitions: dict[int, IndicatorDefinition]
    values: dict[tuple[int, int | None, int], float]
    neighbours: dict[int, list[int]]

    def reading(
        self, definition: IndicatorDefinition, area_id: int, year: int
    ) -> IndicatorReading | None:
        value = self.values.get((definition.pk, area_id, year))
        if value is None:
            return None
        england = self.values.get((definition.pk, None, year))
        around = [
            v
            for n in self.neighbours.get(area_id, [])
            if (v := self.values.get((definition.pk, n, year))) is not None
        ]
        previous = self.values.get((definition.pk, area_id, year - 1))
        if previous is None:
            previous = self.values.get((definition.pk, area_id, year - 2))
        return IndicatorReading(
            code=definition.code,
            title=definition.title,
            polarity=definition.polarity,
            value=value,
            england=england,
            neighbours=sum(around) / len(around) if len(around) >= MIN_NEIGHBOURS else None,
            previous=previous,
        )


def _year_data(year: int) -> _YearData:
    definitions = {d.pk: d for d in IndicatorDefinition.objects.all()}
    values: dict[tuple[int, int | None, int], float] = {}
    rows = IndicatorValue.objects.filter(year__gte=year - 3, year__lte=year).values_list(
        "indicator_id", "area_id", "year", "value"
    )
    for indicator_id, area_id, y, value in rows.iterator(chunk_size=20000):
        values[(indicator_id, area_id, y)] = value
    neighbours: dict[int, list[int]] = defaultdict(list)
    for area_id, neighbour_id in StatisticalNeighbour.objects.order_by("area", "rank").values_list(
        "area_id", "neighbour_id"
    ):
        neighbours[area_id].append(neighbour_id)
    return _YearData(definitions, values, dict(neighbours))


def _self_grades(year: int) -> dict[int, dict[str, int]]:
    """Each area's self-assessed grade per section, from its submitted self-assessment (the
    lowest where several partners graded one section)."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    parts = SelfAssessmentPart.objects.filter(
        self_assessment__year=year,
        self_assessment__status=SelfAssessmentStatus.SUBMITTED,
        self_grade__isnull=False,
    ).values_list("self_assessment__area_id", "section", "self_grade")
    for area_id, section, grade in parts:
        if grade is None:
            continue
        current = out[area_id].get(section)
        out[area_id][section] = grade if current is None else min(current, grade)
    return out


def previous_findings(areas: list[Area], year: int) -> dict[int, list[PreviousFinding]]:
    """Per area, the graded judgements of its latest earlier inspection published in the
    PREVIOUS_YEARS before the end of `year` (evidence for the APA, never an override)."""
    latest: dict[int, AreaInspection] = {}
    for inspection in (
        AreaInspection.objects.filter(
            area__in=areas,
            published_on__lte=datetime.date(year, 12, 31),
            published_on__gt=datetime.date(year - PREVIOUS_YEARS, 12, 31),
        )
        .prefetch_related("judgements")
        .order_by("published_on")
    ):
        latest[inspection.area_id] = inspection
    return {
        area_id: [
            PreviousFinding(
                inspection=f"{i.get_kind_display()} {i.year}",
                published=f"{i.published_on:%-d %B %Y}",
                judgement=j.judgement,
                judgement_title=j.get_judgement_display(),
                grade=j.grade,
            )
            for j in i.judgements.all()
            if j.grade is not None
        ]
        for area_id, i in latest.items()
    }


def _inspection_grades(areas: list[Area], year: int) -> dict[int, dict[str, dict[int, int]]]:
    """Pooled setting inspections per area and outcome, as {grade: distinct inspections}: each
    inspection of a provider once, however many of the outcome's key judgements it graded."""
    pools = areas_pool(areas=areas, as_of=datetime.date(year, 12, 31))
    out: dict[int, dict[str, dict[int, int]]] = {}
    for area_id, pool in pools.items():
        out[area_id] = {
            o.code: {int(g): n for g, n in o.by_inspection.items() if n} for o in pool.outcomes
        }
    return out


def _proposals(
    data: _YearData,
    area: Area,
    year: int,
    inspections: dict[str, dict[int, int]],
    self_grades: dict[str, int],
) -> dict[str, Proposal]:
    by_group: dict[str, list[IndicatorReading]] = defaultdict(list)
    for definition in data.definitions.values():
        reading = data.reading(definition, area.pk, year)
        if reading is not None:
            by_group[definition.outcome].append(reading)
    out = {
        code: group_proposal(
            kind=code,
            readings=by_group.get(code, []),
            inspection_grades=inspections.get(code),
            self_grade=self_grades.get(code),
        )
        for code in (*OUTCOME_CODES, SERVICE_MANAGEMENT)
    }
    return out


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
            proposal.grade = supplied[kind]
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
    outcomes = {k: proposals[k] for k in OUTCOME_CODES}
    overall = overall_proposal(outcomes, proposals[SERVICE_MANAGEMENT])
    capacity = capacity_proposal(
        proposals[SERVICE_MANAGEMENT],
        overall,
        {k: p.score for k, p in outcomes.items()},
        {k: before[k].score for k in OUTCOME_CODES},
    )
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
                {"judgement": kind, "why": f"{GRADE_WORDS[proposal.grade]}: {proposal.reasons[0]}"}
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


@transaction.atomic
def apa_run(
    *, year: int, areas: Iterable[Area] | None = None, progress: Progress | None = None
) -> RunResult:
    """Propose every judgement of the APA for each area (all current areas if none given) in
    `year`. Recorded grades are kept; proposals and their reasons are refreshed. Raises an
    intervention alert where a judgement fell to inadequate since the year before."""
    chosen = list(areas) if areas is not None else list(Area.objects.current().order_by("name"))
    data = _year_data(year)
    inspections = _inspection_grades(chosen, year)
    inspections_before = _inspection_grades(chosen, year - 1)
    self_grades = _self_grades(year)
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
    create: list[AssessmentJudgement] = []
    update: list[AssessmentJudgement] = []
    alerts: list[InterventionAlert] = []
    changed_assessments: list[Assessment] = []
    for number, area in enumerate(chosen, 1):
        assessment = assessments[area.pk]
        proposals = _proposals(
            data, area, year, inspections.get(area.pk, {}), self_grades.get(area.pk, {})
        )
        before = _proposals(data, area, year - 1, inspections_before.get(area.pk, {}), {})
        outcomes = {k: proposals[k] for k in OUTCOME_CODES}
        overall = overall_proposal(outcomes, proposals[SERVICE_MANAGEMENT])
        capacity = capacity_proposal(
            proposals[SERVICE_MANAGEMENT],
            overall,
            {k: p.score for k, p in outcomes.items()},
            {k: before[k].score for k in OUTCOME_CODES},
        )
        proposals["overall"], proposals["capacity"] = overall, capacity
        supplied = _review_grades(area, year)
        source = AssessmentSource.APA
        if supplied is not None:
            source = AssessmentSource.JOINT_AREA_REVIEW
            _take_the_review(area, proposals, supplied, before)
        for line in (f(area, year) for f in FOLLOW_UP):
            proposals["overall"].reasons.extend(line)
        previous_inspection_evidence(proposals, earlier.get(area.pk, []))
        seed = _specification(proposals)
        fell: list[str] = []
        if (assessment.source, assessment.fieldwork_specification) != (source, seed):
            assessment.source, assessment.fieldwork_specification = source, seed
            assessment.proposed_at = now
            changed_assessments.append(assessment)
        for kind, proposal in proposals.items():
            judgement = existing.get((assessment.pk, kind))
            if judgement is None:
                create.append(
                    AssessmentJudgement(
                        assessment=assessment, kind=kind, proposed_grade=proposal.grade,
                        reasons=proposal.reasons,
                    )
                )  # fmt: skip
            elif (judgement.proposed_grade, judgement.reasons) != (
                proposal.grade,
                proposal.reasons,
            ):
                judgement.proposed_grade, judgement.reasons = proposal.grade, proposal.reasons
                update.append(judgement)
            grade_now = (
                judgement.grade if judgement and judgement.recorded_grade else proposal.grade
            )
            grade_before = previous.get((area.pk, kind))
            if grade_now == Grade.INADEQUATE and grade_before is not None and grade_before > 1:
                fell.append(
                    f"{JudgementKind(kind).label.lower()} "
                    f"({GRADE_WORDS[grade_before]} in {year - 1})"
                )
        if fell:
            alerts.append(
                InterventionAlert(
                    area=area, kind=AlertKind.DETERIORATION, year=year,
                    message=f"{area.name}: fell to inadequate in {year}: {', '.join(fell)}.",
                )
            )  # fmt: skip
        if progress is not None:
            progress(number, len(chosen))
    bulk_create_with_history(create, AssessmentJudgement, batch_size=2000)
    if update:
        bulk_update_with_history(
            update, AssessmentJudgement, ["proposed_grade", "reasons"], batch_size=2000
        )
    if changed_assessments:
        bulk_update_with_history(
            changed_assessments, Assessment, ["source", "fieldwork_specification", "proposed_at"]
        )
    cpa_block_scores_write(list(assessments.values()))
    raised = []
    for alert in alerts:
        made, created = InterventionAlert.objects.get_or_create(
            area=alert.area, year=alert.year, kind=alert.kind, incident=None,
            defaults={"message": alert.message},
        )  # fmt: skip
        if created:
            raised.append(made)
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


# -- the self-assessment ------------------------------------------------------------------


def self_assessment_for(*, area: Area, year: int) -> SelfAssessment:
    """The area's self-assessment for the year, created for the first part written. Only for a
    year an APA can be for (`selectors.apa_years_open`)."""
    if year not in apa_years_open():
        raise AssessmentRefused(f"No annual performance assessment for {year}.")
    found, _ = SelfAssessment.objects.get_or_create(area=area, year=year)
    return found


@transaction.atomic
def self_assessment_part_write(
    *,
    self_assessment: SelfAssessment,
    section: str,
    organisation: str,
    strengths: str,
    weaknesses: str,
    impact_evidence: str = "",
    resources: str = "",
    self_grade: int | None = None,
    seen_version: int | None = None,
    by: Any = None,
) -> SelfAssessmentPart:
    """Write one organisation's part of one section. A submitted self-assessment goes back to
    draft (the submitted version is kept)."""
    if section not in (*OUTCOME_CODES, SERVICE_MANAGEMENT):
        raise AssessmentRefused(f"No section {section!r}: one of BH, SS, EA, PC, EW, SM.")
    if self_grade is not None and self_grade not in (1, 2, 3, 4):
        raise AssessmentRefused("A self-assessed grade is 1 (inadequate) to 4 (outstanding).")
    part = SelfAssessmentPart.objects.filter(
        self_assessment=self_assessment, section=section, author_organisation=organisation
    ).first()
    fields = {
        "strengths": strengths,
        "weaknesses": weaknesses,
        "impact_evidence": impact_evidence,
        "resources": resources,
        "self_grade": self_grade,
        "author": by,
    }
    if part is None:
        part = SelfAssessmentPart(
            self_assessment=self_assessment, section=section, author_organisation=organisation,
            **fields,
        )  # fmt: skip
        part._history_user = by  # type: ignore[attr-defined]
        part.save()
    else:
        part = record_update(
            record=part,
            seen_version=seen_version if seen_version is not None else part.version,
            changes=fields,
            by=by,
        )
    if self_assessment.status == SelfAssessmentStatus.SUBMITTED:
        self_assessment.status = SelfAssessmentStatus.DRAFT
        self_assessment._history_user = by  # type: ignore[attr-defined]
        self_assessment.save(update_fields=["status"])
    return part


@transaction.atomic
def council_document_add(
    *,
    self_assessment: SelfAssessment,
    kind: str,
    title: str,
    content: Any,
    name: str,
    by: Any = None,
) -> CouncilDocument:
    """Attach the council's analysis of user views, or one of its plans, to the
    self-assessment, with the file's SHA-256. The file is written to storage only once the row
    commits (accounts/uploads.py); a refused upload leaves nothing behind."""
    if kind not in CouncilDocumentKind.values:
        raise AssessmentRefused("A document is the analysis of user views or a plan.")
    if self_assessment.documents.count() >= MAX_COUNCIL_DOCUMENTS:
        raise AssessmentRefused(
            f"A small number of documents only: at most {MAX_COUNCIL_DOCUMENTS}."
        )
    name = name.strip() or "document"
    sha, size = sha256_of(content)
    try:
        upload_check(name=name, size=size, max_name_chars=DOCUMENT_NAME_MAX)
    except UploadRefused as exc:
        raise AssessmentRefused(str(exc)) from None
    title = title.strip() or name
    if len(title) > DOCUMENT_TITLE_MAX:
        raise AssessmentRefused(f"Give a title of at most {DOCUMENT_TITLE_MAX} characters.")
    document = CouncilDocument(
        self_assessment=self_assessment,
        kind=kind,
        title=title,
        sha256=sha,
        uploaded_by=by,
        file=stored_name("council-documents", sha),
    )
    document._history_user = by  # type: ignore[attr-defined]
    document.save()
    store_on_commit(record=document, field="file", content=content)
    return document


# The longest title kept (its column) and file name taken (it becomes the title if none).
DOCUMENT_TITLE_MAX: int = CouncilDocument._meta.get_field("title").max_length or 300
DOCUMENT_NAME_MAX = 200
# The proposals ask for "a small number of plans" beside the analysis of user views.
MAX_COUNCIL_DOCUMENTS = 6


@transaction.atomic
def self_assessment_submit(*, self_assessment: SelfAssessment, by: Any) -> SubmittedSelfAssessment:
    """The DCS submits the assembled self-assessment; the version sent is kept as it was."""
    parts = (
        list(self_assessment.parts.order_by("section", "author_organisation"))
        if self_assessment.pk
        else []
    )
    if not parts:
        raise AssessmentRefused("There is nothing to submit: no section has been written.")
    number = self_assessment.submissions.count() + 1
    content = {
        "area": self_assessment.area.gss_code,
        "year": self_assessment.year,
        "cooperation": self_assessment.cooperation,
        "parts": [
            {
                "section": p.section,
                "organisation": p.author_organisation,
                "strengths": p.strengths,
                "weaknesses": p.weaknesses,
                "impact_evidence": p.impact_evidence,
                "resources": p.resources,
                "self_grade": p.self_grade,
            }
            for p in parts
        ],
    }
    submission = SubmittedSelfAssessment.objects.create(
        self_assessment=self_assessment, number=number, content=content, submitted_by=by
    )
    self_assessment.status = SelfAssessmentStatus.SUBMITTED
    self_assessment.submitted_at, self_assessment.submitted_by = timezone.now(), by
    self_assessment.version += 1
    self_assessment._history_user = by  # type: ignore[attr-defined]
    self_assessment.save()
    return submission
