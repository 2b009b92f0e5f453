"""The rule that proposes APA grades, and says why. Pure functions over plain data: no database.

The software proposes, the assessing inspector decides. Each proposal is a grade on the
four-point scale (4 best) or "insufficient evidence", with the reasons in words.

1. Indicators. For each indicator with a value for the area this year and a direction
   (higher or lower is better), three signals, each +1 (better), 0 (about the same) or -1
   (worse), oriented by the indicator's polarity:
   - position against England, better or worse by more than POSITION_TOLERANCE (5%);
   - position against the area's statistical neighbours (their mean; at least 3 with data);
   - trend against the area's own value the year before (TREND_TOLERANCE, 2%).
   The indicator's score is the weighted mean (WEIGHTS: England 0.4, neighbours 0.4, trend
   0.2; missing signals are left out and the weights re-normalised), from -1 to +1. An outcome's
   indicator score is the mean over its indicators; with fewer than MIN_INDICATORS (2) there is
   not enough to go on (positive contribution has only three indicators, often not all
   published).
2. Setting inspections. The pooled findings of setting inspections in the area on the outcome's
   key judgements (the provision app's pooling), each inspection of a provider counted once at
   its mean grade on those key judgements (an imported overall grade spread to seven key
   judgements is one inspection, not seven findings): the mean grade g of at least
   MIN_INSPECTIONS (5) distinct inspections becomes a score (g - 2.5) / 1.5, from -1 to +1.
3. The two are combined, indicators weighing 0.6 and inspections 0.4 when both are there;
   either alone otherwise; neither: "insufficient evidence".
4. The score becomes a grade at the THRESHOLDS (4 from 0.35, 3 from -0.2, 2 from -0.55, else
   1), set so that on the shipped indicators the proposals spread like the real 2005-08 APA
   results (historical_ratings: about 8-16% outstanding, 65-75% good, 20-25% adequate, a few
   inadequate).
5. The council's self-assessed grade is shown beside the proposal; a difference of two grades
   or more is pointed out, not averaged in.

Service management uses its own indicators (workforce, spending) the same way.

The overall grade is a judgement, not an average (a real 2006 APA: outcomes 3, 3, 2, 3, 2 gave
overall 2, where the average would round to 3). The rule: the highest grade that every outcome
but one reaches (so two adequate outcomes make the whole adequate); no more than one grade above
staying safe (children's safety limits the whole); no more than one above service management.
Insufficient evidence on staying safe, or on two outcomes or more, makes the overall grade
insufficient too.

An earlier inspection of the area's children's services (ILACS, APA, rating) published in the
PREVIOUS_YEARS before the end of the year is evidence for the judgements it bears on
(PREVIOUS_BEARS_ON: help and protection and children in care on staying safe, care leavers on
economic well-being, leaders on service management...). It is stated in the reasons, and a
difference of two grades or more from the proposal is pointed out for the assessment to test;
it never changes a proposed grade.

Capacity to improve starts from service management; one grade higher when at least two outcome
scores rose since the year before and none fell, one lower when at least two fell and none
rose; never more than one above the overall grade.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.template.defaultfilters import pluralize

from ecm_inspect.framework.grades import Grade, grade_words

from .models import OUTCOME_CODES, JudgementKind

POSITION_TOLERANCE = 0.05
TREND_TOLERANCE = 0.02
WEIGHTS = {"england": 0.4, "neighbours": 0.4, "trend": 0.2}
MIN_INDICATORS = 2
MIN_NEIGHBOURS = 3
MIN_INSPECTIONS = 5  # distinct inspections of a provider, not findings per key judgement
INDICATOR_WEIGHT, INSPECTION_WEIGHT = 0.6, 0.4
THRESHOLDS = ((0.35, Grade.OUTSTANDING), (-0.2, Grade.GOOD), (-0.55, Grade.ADEQUATE))
# The APA's sections, the five outcomes then service management, titled as the APA's judgements
# are (models.JudgementKind): capacity to improve and the overall grade follow from them.
OUTCOME_TITLES = {
    kind.value: kind.label
    for kind in JudgementKind
    if kind not in {JudgementKind.CAPACITY, JudgementKind.OVERALL}
}
INSUFFICIENT = "insufficient evidence"


@dataclass(frozen=True)
class IndicatorReading:
    code: str
    title: str
    polarity: str  # "higher" or "lower"
    value: float
    england: float | None
    neighbours: float | None
    previous: float | None


@dataclass(frozen=True)
class Signal:
    code: str
    title: str
    score: float
    england: int | None
    neighbours: int | None
    trend: int | None


PREVIOUS_YEARS = 3
# What an earlier inspection judged -> the APA judgements it is evidence for.
PREVIOUS_BEARS_ON = {
    "overall": ("overall",),
    "lowest": ("overall",),
    "leaders": ("SM",),
    "help_and_protection": ("SS",),
    "in_care": ("SS",),
    "care_leavers": ("EW",),
    "social_care": ("SS",),
    "education": ("EA",),
    "capacity": ("capacity",),
    **{code: (code,) for code in OUTCOME_CODES},
}
PREVIOUS_DISAGREES = "two grades or more from the previous inspection"


@dataclass(frozen=True)
class PreviousFinding:
    """One judgement of an earlier inspection of the area, on the Framework's scale."""

    inspection: str  # e.g. "Inspection of local authority children's services (ILACS) 2019"
    published: str  # e.g. "12 March 2019"
    judgement: str  # AreaJudgement value
    judgement_title: str
    grade: Grade


@dataclass
class Proposal:
    kind: str
    grade: Grade | None
    score: float | None
    reasons: list[str] = field(default_factory=list)

    @property
    def words(self) -> str:
        return grade_words(self.grade) if self.grade else INSUFFICIENT


def _better(value: float, benchmark: float, polarity: str, tolerance: float) -> int:
    """+1 if `value` is better than `benchmark` by more than `tolerance` (relative), -1 if
    worse, 0 otherwise."""
    scale = abs(benchmark) if benchmark else 1.0
    difference = (value - benchmark) / scale
    if polarity == "lower":
        difference = -difference
    if difference > tolerance:
        return 1
    if difference < -tolerance:
        return -1
    return 0


def indicator_signal(reading: IndicatorReading) -> Signal:
    parts: dict[str, int] = {}
    if reading.england is not None:
        parts["england"] = _better(
            reading.value, reading.england, reading.polarity, POSITION_TOLERANCE
        )
    if reading.neighbours is not None:
        parts["neighbours"] = _better(
            reading.value, reading.neighbours, reading.polarity, POSITION_TOLERANCE
        )
    if reading.previous is not None:
        parts["trend"] = _better(reading.value, reading.previous, reading.polarity, TREND_TOLERANCE)
    weight = sum(WEIGHTS[k] for k in parts)
    score = sum(WEIGHTS[k] * v for k, v in parts.items()) / weight if weight else 0.0
    return Signal(
        reading.code,
        reading.title,
        score,
        parts.get("england"),
        parts.get("neighbours"),
        parts.get("trend"),
    )


def grade_for(score: float) -> Grade:
    for threshold, grade in THRESHOLDS:
        if score >= threshold:
            return grade
    return Grade.INADEQUATE


def _examples(signals: Sequence[Signal], sign: int) -> str:
    chosen = sorted(signals, key=lambda s: s.score * sign, reverse=True)[:2]
    return "; ".join(s.title for s in chosen)


def group_proposal(
    *,
    kind: str,
    readings: Sequence[IndicatorReading],
    inspection_grades: Mapping[int, int] | None = None,  # {grade: distinct inspections}
    self_grade: int | None = None,
) -> Proposal:
    """The proposal for one outcome (or service management), with its reasons."""
    title = OUTCOME_TITLES[kind]
    signals = [indicator_signal(r) for r in readings if r.polarity in {"higher", "lower"}]
    reasons: list[str] = []
    indicator_score: float | None = None
    if len(signals) >= MIN_INDICATORS:
        indicator_score = sum(s.score for s in signals) / len(signals)
        better = [s for s in signals if s.score > 0.2]
        worse = [s for s in signals if s.score < -0.2]
        text = (
            f"{len(signals)} indicators: {len(better)} better than England and similar areas"
            f" or improving, {len(worse)} worse"
        )
        if better:
            text += f"; strongest: {_examples(better, 1)}"
        if worse:
            text += f"; weakest: {_examples(worse, -1)}"
        reasons.append(text + f" (indicator score {indicator_score:+.2f}).")
    else:
        reasons.append(
            f"Only {len(signals)} indicator{pluralize(len(signals))} with data "
            f"(at least {MIN_INDICATORS} needed)."
        )
    inspection_score: float | None = None
    inspections = sum((inspection_grades or {}).values())
    if inspections >= MIN_INSPECTIONS:
        mean = sum(g * n for g, n in (inspection_grades or {}).items()) / inspections
        inspection_score = (mean - 2.5) / 1.5
        reasons.append(
            f"Setting inspections: {inspections} inspections graded on its key judgements, "
            f"each counted once, mean grade {mean:.1f} (score {inspection_score:+.2f})."
        )
    elif inspections:
        reasons.append(
            f"Setting inspections: only {inspections} inspection{pluralize(inspections)}"
            f" graded on its key judgements (at least {MIN_INSPECTIONS} distinct ones)."
        )
    score: float | None
    if indicator_score is not None and inspection_score is not None:
        score = INDICATOR_WEIGHT * indicator_score + INSPECTION_WEIGHT * inspection_score
    else:
        score = indicator_score if indicator_score is not None else inspection_score
    if score is None:
        reasons.insert(0, f"{title}: {INSUFFICIENT} to propose a grade.")
        proposal = Proposal(kind, None, None, reasons)
    else:
        grade = grade_for(score)
        reasons.insert(0, f"{title}: proposed {grade} ({grade_words(grade)}), score {score:+.2f}.")
        proposal = Proposal(kind, grade, score, reasons)
    if self_grade is not None:
        note = f"The council's self-assessment says {self_grade} ({grade_words(self_grade)})"
        if proposal.grade is not None and abs(self_grade - proposal.grade) >= 2:
            note += ": two grades or more from the evidence; test it in the assessment"
        reasons.append(note + ".")
    return proposal


def overall_proposal(outcomes: Mapping[str, Proposal], management: Proposal) -> Proposal:
    grades = {k: p.grade for k, p in outcomes.items()}
    missing = [OUTCOME_TITLES[k] for k, g in grades.items() if g is None]
    if grades.get("SS") is None or len(missing) >= 2:
        return Proposal(
            "overall",
            None,
            None,
            [f"Overall: {INSUFFICIENT}: no grade for {', '.join(missing)}."],
        )
    known = sorted((g for g in grades.values() if g is not None), reverse=True)
    # The highest grade that every outcome but one reaches.
    reach = known[-2] if len(known) >= 2 else known[-1]
    shown = ", ".join(str(grades[k]) if grades[k] else "-" for k in outcomes)
    reasons = [f"All outcomes but one are {grade_words(reach)} or better (outcome grades {shown})."]
    grade = reach
    safe = grades["SS"]
    if safe is not None and safe + 1 < grade:
        grade = Grade(safe + 1)
        reasons.append(
            f"Staying safe is {grade_words(safe)}: overall no more than one grade above it."
        )
    if management.grade is not None and management.grade + 1 < grade:
        grade = Grade(management.grade + 1)
        reasons.append(
            f"Service management is {grade_words(management.grade)}: overall no higher than "
            f"{grade}."
        )
    reasons.insert(0, f"Overall: proposed {grade} ({grade_words(grade)}).")
    return Proposal("overall", grade, None, reasons)


def capacity_proposal(
    management: Proposal,
    overall: Proposal,
    scores_now: Mapping[str, float | None],
    scores_before: Mapping[str, float | None],
) -> Proposal:
    if management.grade is None:
        return Proposal(
            "capacity", None, None, [f"Capacity to improve: {INSUFFICIENT} on service management."]
        )
    rose = fell = 0
    for kind, now in scores_now.items():
        before = scores_before.get(kind)
        if now is None or before is None:
            continue
        if now > before + 0.1:
            rose += 1
        elif now < before - 0.1:
            fell += 1
    grade = management.grade
    reasons = [f"Service management is {grade_words(grade)}."]
    if rose >= 2 and fell == 0:
        grade = Grade(min(Grade.OUTSTANDING, grade + 1))
        reasons.append(f"{rose} outcomes improved since last year and none declined.")
    elif fell >= 2 and rose == 0:
        grade = Grade(max(Grade.INADEQUATE, grade - 1))
        reasons.append(f"{fell} outcomes declined since last year and none improved.")
    if overall.grade is not None and grade > overall.grade + 1:
        grade = Grade(overall.grade + 1)
        reasons.append("No more than one grade above the overall grade.")
    reasons.insert(0, f"Capacity to improve: proposed {grade} ({grade_words(grade)}).")
    return Proposal("capacity", grade, None, reasons)


def previous_inspection_evidence(
    proposals: Mapping[str, Proposal], findings: Sequence[PreviousFinding]
) -> None:
    """Add each earlier finding to the reasons of the judgements it bears on, and say where it
    and the proposal are two grades or more apart. The proposed grades are never changed."""
    for finding in findings:
        for kind in PREVIOUS_BEARS_ON.get(finding.judgement, ()):
            proposal = proposals.get(kind)
            if proposal is None:
                continue
            note = (
                f"The previous inspection ({finding.inspection}, published {finding.published}) "
                f"found {finding.judgement_title.lower()} {grade_words(finding.grade)}"
            )
            if proposal.grade is not None and abs(proposal.grade - finding.grade) >= 2:
                note += f": {PREVIOUS_DISAGREES}; test in the assessment what has changed"
            proposal.reasons.append(note + ".")
