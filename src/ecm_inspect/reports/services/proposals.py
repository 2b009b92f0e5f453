"""Proposing a review's judgements from the evidence.

The proposal rule (shown with its reasons on the judgements pages and in the API):
- a key judgement agreed at analysis: the analysis's proposed grade and reasons, unless a
  fieldwork item tagged with it (any item of a fieldwork kind: the evidence found since the
  analysis) points the other way (`points_the_other_way`: a weakness or a grade of 2 or below
  against good or outstanding; a strength or a grade of 3 or above against adequate or
  inadequate). Then the proposal says so, naming the items, and is recomputed with the
  analysis's own grade rule over all its evidence, as for one sent to fieldwork;
- a key judgement sent to fieldwork: the analysis's own grade rule (`evidence.analysis.judge`:
  the rounded mean of the graded evidence, else 3 for strengths only, 2 for weaknesses) over
  all its evidence now, fieldwork included;
- then, for every key judgement, the fieldwork findings tagged with it (case-file readings,
  tracked children, neighbourhood studies, meetings: `evidence.fieldwork.fieldwork_weighing`)
  confirm or move that grade, each cited by its reference, never by its text;
- an outcome: the rounded mean of its key judgements' proposals;
- a vulnerable group: the rounded mean of the proposals of the key judgements about it;
- a service-management aspect: the rounded mean of the grades of the evidence tagged with the
  aspect (or, failing that, of all service-management evidence); service management: the
  rounded mean of all graded service-management evidence;
- capacity to improve: service management's proposal (the 2004 proposals judge "the
  management and capacity" together from the same evidence).
"""

from django.db import transaction
from django.template.defaultfilters import pluralize

from ecm_inspect.evidence.analysis import in_scope_judgements, judge
from ecm_inspect.evidence.fieldwork import fieldwork_weighing, is_fieldwork_finding
from ecm_inspect.evidence.models import (
    AnalysisStatus,
    EvidenceItem,
    Indication,
    JudgementAnalysis,
)
from ecm_inspect.framework.grades import Grade, grade_words
from ecm_inspect.framework.models import (
    Outcome,
    ServiceManagementAspect,
    VulnerableGroup,
)
from ecm_inspect.reviews.models import Review

from ..models import (
    Level,
    ReviewJudgement,
)


def _mean(grades: list[int]) -> Grade | None:
    """The rounded mean (Python's round: a half goes to the even grade), as the analysis does."""
    return Grade(round(sum(grades) / len(grades))) if grades else None


# -- proposing ----------------------------------------------------------------------------


def points_the_other_way(item: EvidenceItem, grade: int | None) -> bool:
    """Whether an item points away from a grade: a weakness, or graded 2 or below, against
    good or outstanding; a strength, or graded 3 or above, against adequate or inadequate."""
    if grade is None:
        return False
    if grade >= 3:
        return item.indication == Indication.WEAKNESS or (
            item.grade is not None and item.grade <= 2
        )
    return item.indication == Indication.STRENGTH or (item.grade is not None and item.grade >= 3)


Wanted = tuple[str, str, str, int | None, list[str]]


def _key_judgement_proposals(review: Review) -> tuple[list[Wanted], dict[str, int]]:
    analyses = {
        a.key_judgement_id: a
        for a in JudgementAnalysis.objects.filter(review=review).select_related("key_judgement")
    }
    items: dict[int, list[EvidenceItem]] = {}
    for item in EvidenceItem.objects.filter(review=review).prefetch_related(
        "key_judgements", "fieldwork_finding"
    ):
        for kj in item.key_judgements.all():
            items.setdefault(kj.pk, []).append(item)
    out: list[Wanted] = []
    grades: dict[str, int] = {}
    for kj in in_scope_judgements(review):
        analysis = analyses.get(kj.pk)
        mine = items.get(kj.pk, [])
        findings = [i for i in mine if is_fieldwork_finding(i)]
        others = [i for i in mine if not is_fieldwork_finding(i)]
        contrary = (
            [
                i
                for i in others
                if i.stage == "fieldwork" and points_the_other_way(i, analysis.proposed_grade)
            ]
            if analysis is not None and analysis.status == AnalysisStatus.AGREED
            else []
        )
        if analysis is not None and analysis.status == AnalysisStatus.AGREED and contrary:
            verdict = judge(
                kj, others, start=review.analysis_starts_on, gaps=[], concern=None,
                group_covered=True,
            )  # fmt: skip
            grade = verdict.proposed_grade
            reasons = [
                f"Agreed at analysis as {grade_words(analysis.proposed_grade)}; {len(contrary)} "
                f"fieldwork item{pluralize(len(contrary))} since point"
                f"{pluralize(len(contrary), 's,')} the other way: "
                + "; ".join(i.title for i in contrary)
                + ".",
                f"Recomputed with the analysis rule over all {len(others)} other evidence "
                f"items: {grade_words(grade)}.",
            ]
        elif analysis is not None and analysis.status == AnalysisStatus.AGREED:
            grade = Grade(analysis.proposed_grade) if analysis.proposed_grade else None
            said = list(analysis.reasons) or [analysis.proposed_finding]
            # The analysis's own reasons say "Agreed at analysis as ...": not said twice.
            reasons = said if said[0].startswith("Agreed at analysis") else [
                "Agreed at analysis.", *said
            ]  # fmt: skip
        else:
            verdict = judge(
                kj, others, start=review.analysis_starts_on, gaps=[], concern=None,
                group_covered=True,
            )  # fmt: skip
            grade = verdict.proposed_grade
            graded = sorted((i.grade for i in others if i.grade), reverse=True)
            reasons = [
                ("Sent to fieldwork at analysis. " if analysis else "Not analysed. ")
                + f"{len(others)} other evidence items"
                + (f", graded {', '.join(map(str, graded))}" if graded else "")
                + f": {grade_words(grade)}."
            ]
        weighing = fieldwork_weighing(grade, findings)
        grade = weighing.grade
        reasons.extend(weighing.reasons)
        out.append((Level.KEY_JUDGEMENT, kj.code, kj.text, grade, reasons))
        if grade:
            grades[kj.code] = grade
    return out, grades


@transaction.atomic
def _outcome_rows(review: Review, kj_rows: list[Wanted], kj_grades: dict[str, int]) -> list[Wanted]:
    """Each outcome in scope after its key judgements: the rounded mean of their proposals."""
    in_scope = {code.split(".")[0] for _, code, *_ in kj_rows}
    outcomes = [
        o
        for o in Outcome.objects.filter(version__code=review.framework_code).order_by("order")
        if o.code in in_scope
    ]
    wanted: list[Wanted] = []
    for outcome in outcomes:
        mine = [row for row in kj_rows if row[1].split(".")[0] == outcome.code]
        grades = [kj_grades[row[1]] for row in mine if row[1] in kj_grades]
        wanted.extend(mine)
        wanted.append(
            (
                Level.OUTCOME,
                outcome.code,
                outcome.title,
                _mean(grades),
                [f"The rounded mean of {len(grades)} proposed key-judgement grades."],
            )
        )
    return wanted


def _group_rows(review: Review, kj_grades: dict[str, int]) -> list[Wanted]:
    """Each vulnerable group: the rounded mean of the key judgements about it."""
    group_of = {kj.code: kj.vulnerable_group for kj in in_scope_judgements(review)}
    wanted: list[Wanted] = []
    for group in VulnerableGroup.objects.order_by("code"):
        grades = [g for code, g in kj_grades.items() if group_of.get(code) == group.slug]
        wanted.append(
            (
                Level.GROUP,
                group.slug,
                group.title,
                _mean(grades),
                [
                    f"The rounded mean of {len(grades)} proposed grades of the key "
                    "judgements about this group."
                ],
            )
        )
    return wanted


def _service_management_rows(review: Review) -> list[Wanted]:
    """Each aspect of service management, service management, and capacity to improve."""
    sm_items = list(
        EvidenceItem.objects.filter(review=review, service_management_aspects__isnull=False)
        .prefetch_related("service_management_aspects")
        .distinct()
    )
    all_sm = [i.grade for i in sm_items if i.grade]
    wanted: list[Wanted] = []
    for aspect in ServiceManagementAspect.objects.order_by("order"):
        grades = [
            i.grade for i in sm_items if i.grade and aspect in i.service_management_aspects.all()
        ]
        reason = (
            f"The rounded mean of {len(grades)} graded evidence items about this aspect."
            if grades
            else f"No graded evidence about this aspect: the mean of all {len(all_sm)} graded "
            "service-management items."
        )
        wanted.append(
            (
                Level.ASPECT,
                aspect.code,
                aspect.report_text or aspect.text,
                _mean(grades or all_sm),
                [reason],
            )
        )
    sm = _mean(all_sm)
    wanted.append(
        (
            Level.SERVICE_MANAGEMENT,
            "SM",
            "Service management",
            sm,
            [f"The rounded mean of {len(all_sm)} graded service-management items."],
        )
    )
    wanted.append(
        (
            Level.CAPACITY,
            "capacity",
            "Capacity to improve",
            sm,
            ["Follows service management: the same evidence shows both."],
        )
    )
    return wanted


def _proposals_save(review: Review, wanted: list[Wanted]) -> list[ReviewJudgement]:
    """Create each judgement not yet made, refresh the proposal of each that is."""
    existing = {j.code: j for j in ReviewJudgement.objects.filter(review=review)}
    out = []
    for order, (level, code, title, grade, reasons) in enumerate(wanted):
        found = existing.get(code)
        if found is None:
            found = ReviewJudgement.objects.create(
                review=review,
                level=level,
                code=code,
                title=title,
                order=order,
                proposed_grade=grade,
                proposal_reasons=reasons,
            )
        elif (found.proposed_grade, found.proposal_reasons, found.order) != (
            grade,
            reasons,
            order,
        ):
            found.proposed_grade, found.proposal_reasons, found.order = grade, reasons, order
            found.save(update_fields=["proposed_grade", "proposal_reasons", "order"])
        out.append(found)
    return out


def judgements_propose(*, review: Review) -> list[ReviewJudgement]:
    """Create (or refresh the proposals of) every judgement the review makes, in the order of
    the report. Recorded grades and findings are never touched."""
    kj_rows, kj_grades = _key_judgement_proposals(review)
    wanted = _outcome_rows(review, kj_rows, kj_grades)
    wanted += _group_rows(review, kj_grades)
    wanted += _service_management_rows(review)
    return _proposals_save(review, wanted)
