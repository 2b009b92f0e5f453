"""The judgements of a review: proposed from the evidence, recorded by the team leader with the
evidence they rest on, signed off; gaps in provision and recommendations.

The proposal rule (shown with its reasons on the judgements page and in the API):
- a key judgement agreed at analysis: the analysis's proposed grade and reasons;
- a key judgement sent to fieldwork: the analysis's own grade rule (`evidence.analysis.judge`:
  the rounded mean of the graded evidence, else 3 for strengths only, 2 for weaknesses) over
  all its evidence now, fieldwork included;
- an outcome: the rounded mean of its key judgements' proposals;
- a vulnerable group: the rounded mean of the proposals of the key judgements about it;
- a service-management aspect: the rounded mean of the grades of the evidence tagged with the
  aspect (or, failing that, of all service-management evidence); service management: the
  rounded mean of all graded service-management evidence;
- capacity to improve: service management's proposal (the 2004 proposals judge "the
  management and capacity" together from the same evidence).
The team leader records the grade (outcomes, service management, capacity) or the finding,
with a rationale and the evidence items it rests on: no graded judgement without evidence.
A vulnerable group's finding answers each of its statements (2004, "Focus on outcomes").
Sign-off stores a fingerprint of the judgement and its evidence (each item's version); a change
to either afterwards means the sign-off no longer stands.
"""

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.accounts.concurrency import record_update
from ecm_inspect.evidence.analysis import in_scope_judgements, judge
from ecm_inspect.evidence.models import AnalysisStatus, EvidenceItem, JudgementAnalysis
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import (
    Outcome,
    ServiceManagementAspect,
    VulnerableGroup,
    VulnerableGroupStatement,
)
from ecm_inspect.reviews.models import Review, TeamRole

from ..models import Gap, GapKind, Level, Priority, Recommendation, ReviewJudgement


class ReportRefused(Exception):
    """A write the rules refuse, with every reason."""

    def __init__(self, reasons: list[str] | str) -> None:
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__(" ".join(self.reasons))


def _mean(grades: list[int]) -> int | None:
    """The rounded mean (Python's round: a half goes to the even grade), as the analysis does."""
    return round(sum(grades) / len(grades)) if grades else None


def _words(grade: int | None) -> str:
    return str(Grade(grade).label).lower() if grade else "no grade"


# -- proposing ----------------------------------------------------------------------------

Wanted = tuple[str, str, str, int | None, list[str]]


def _key_judgement_proposals(review: Review) -> tuple[list[Wanted], dict[str, int]]:
    analyses = {
        a.key_judgement_id: a
        for a in JudgementAnalysis.objects.filter(review=review).select_related("key_judgement")
    }
    items: dict[int, list[EvidenceItem]] = {}
    for item in EvidenceItem.objects.filter(review=review).prefetch_related("key_judgements"):
        for kj in item.key_judgements.all():
            items.setdefault(kj.pk, []).append(item)
    out: list[Wanted] = []
    grades: dict[str, int] = {}
    for kj in in_scope_judgements(review):
        analysis = analyses.get(kj.pk)
        mine = items.get(kj.pk, [])
        if analysis is not None and analysis.status == AnalysisStatus.AGREED:
            grade = analysis.proposed_grade
            reasons = ["Agreed at analysis.", *(analysis.reasons or [analysis.proposed_finding])]
        else:
            verdict = judge(
                kj, mine, start=review.analysis_starts_on, gaps=[], concern=None, group_covered=True
            )
            grade = verdict.proposed_grade
            graded = sorted((i.grade for i in mine if i.grade), reverse=True)
            reasons = [
                ("Sent to fieldwork at analysis. " if analysis else "Not analysed. ")
                + f"{len(mine)} evidence items now"
                + (f", graded {', '.join(map(str, graded))}" if graded else "")
                + f": proposed {_words(grade)}."
            ]
        out.append((Level.KEY_JUDGEMENT, kj.code, kj.text, grade, reasons))
        if grade:
            grades[kj.code] = grade
    return out, grades


@transaction.atomic
def judgements_propose(*, review: Review) -> list[ReviewJudgement]:
    """Create (or refresh the proposals of) every judgement the review makes, in the order of
    the report. Recorded grades and findings are never touched."""
    kj_rows, kj_grades = _key_judgement_proposals(review)
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
    group_of = {kj.code: kj.vulnerable_group for kj in in_scope_judgements(review)}
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
    sm_items = list(
        EvidenceItem.objects.filter(review=review, service_management_aspects__isnull=False)
        .prefetch_related("service_management_aspects")
        .distinct()
    )
    all_sm = [i.grade for i in sm_items if i.grade]
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


# -- recording and signing off ------------------------------------------------------------


def group_statements(judgement: ReviewJudgement) -> list[VulnerableGroupStatement]:
    """The statements a vulnerable group's finding answers (none for other judgements)."""
    if judgement.level != Level.GROUP:
        return []
    return list(VulnerableGroupStatement.objects.filter(group__slug=judgement.code))


def fingerprint(judgement: ReviewJudgement) -> str:
    """A hash of what was signed off: the judgement and each evidence item's version."""
    items = sorted(judgement.evidence.values_list("pk", "version"))
    text = json.dumps(
        [
            judgement.grade,
            judgement.finding,
            judgement.rationale,
            sorted(judgement.statement_findings.items()),
            items,
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def is_signed_off(judgement: ReviewJudgement) -> bool:
    return bool(judgement.signed_off_at) and judgement.signed_off_fingerprint == fingerprint(
        judgement
    )


@transaction.atomic
def judgement_record(
    *,
    judgement: ReviewJudgement,
    grade: int | None,
    finding: str,
    rationale: str,
    evidence_ids: list[int],
    seen_version: int,
    by: Any,
    statement_findings: dict[str, str] | None = None,
) -> ReviewJudgement:
    """Record a judgement: graded ones need a grade; every one a finding and a rationale; a
    vulnerable group a finding against each statement; none without the evidence it rests on.
    Recording again loses any sign-off. Refused with every reason, nothing saved."""
    problems = []
    if grade is not None and grade not in Grade.values:
        problems.append("A grade is 1 (inadequate) to 4 (outstanding).")
    elif judgement.is_graded and grade is None:
        problems.append("Give a grade from 1 (inadequate) to 4 (outstanding).")
    if not finding.strip():
        problems.append("Write the finding.")
    if not rationale.strip():
        problems.append("Give the rationale: why this grade or finding.")
    statements = {s.code: s for s in group_statements(judgement)}
    answers = {
        code: text.strip() for code, text in (statement_findings or {}).items() if text.strip()
    }
    if unknown := sorted(set(answers) - set(statements)):
        problems.append(f"{', '.join(unknown)} is not a statement about this group.")
    if missing := [code for code in statements if code not in answers]:
        problems.append(f"Write the finding against each statement: {', '.join(missing)}.")
    items = list(EvidenceItem.objects.filter(review=judgement.review, pk__in=evidence_ids))
    if not items:
        problems.append("No grade without evidence: choose the evidence items it rests on.")
    if problems:
        raise ReportRefused(problems)
    return record_update(
        record=judgement,
        seen_version=seen_version,
        changes={
            "grade": grade,
            "finding": finding.strip(),
            "rationale": rationale.strip(),
            "statement_findings": answers,
            "recorded_by": by,
            "recorded_at": timezone.now(),
            "signed_off_by": None,
            "signed_off_at": None,
            "signed_off_fingerprint": "",
        },
        many={"evidence": items},
        by=by,
    )


def is_team_leader(review: Review, user: Any) -> bool:
    return (
        user is not None and review.team.filter(inspector__user=user, role=TeamRole.LEADER).exists()
    )


@transaction.atomic
def judgement_sign_off(*, judgement: ReviewJudgement, by: Any) -> ReviewJudgement:
    """The team leader signs a recorded, evidenced judgement off (audited)."""
    if not (is_team_leader(judgement.review, by) or getattr(by, "is_superuser", False)):
        raise ReportRefused("Only the review's team leader signs judgements off.")
    if not judgement.is_recorded or not judgement.evidence.exists():
        raise ReportRefused("Record the judgement, with its evidence, before signing it off.")
    judgement.signed_off_by, judgement.signed_off_at = by, timezone.now()
    judgement.signed_off_fingerprint = fingerprint(judgement)
    judgement._history_user = by  # type: ignore[attr-defined]
    judgement.save()
    return judgement


def judgements_missing(review: Review) -> list[str]:
    """Why the judgements are not ready for publication (empty when they are)."""
    out = []
    judgements = list(ReviewJudgement.objects.filter(review=review).prefetch_related("evidence"))
    if not judgements:
        return ["No judgement has been proposed or recorded."]
    for j in judgements:
        if not j.is_recorded:
            out.append(f"{j.code} is not recorded.")
        elif not j.evidence.all():
            out.append(f"{j.code} rests on no evidence.")
        elif not is_signed_off(j):
            out.append(f"{j.code} is not signed off (or changed since).")
    return out


# -- gaps and recommendations -------------------------------------------------------------


@transaction.atomic
def gap_record(
    *, review: Review, kind: str, service: str, description: str, how_managed: str = "", by: Any
) -> Gap:
    """A gap or failure in provision, classified, or a very good service called out. Where the
    capacity to establish a suitable service is in question, the team says how far the area
    has managed the gap (2004, "Reporting the findings")."""
    problems = []
    if kind not in GapKind.values:
        problems.append("Choose what kind of gap (or very good service) this is.")
    if not service.strip():
        problems.append("Name the service.")
    if not description.strip():
        problems.append("Describe what the team found.")
    if kind == GapKind.CAPACITY and not how_managed.strip():
        problems.append("Say how far the area has managed the gap in provision.")
    if problems:
        raise ReportRefused(problems)
    gap = Gap(
        review=review,
        kind=kind,
        service=service.strip(),
        description=description.strip(),
        how_managed=how_managed.strip(),
    )
    gap._history_user = by  # type: ignore[attr-defined]
    gap.save()
    return gap


@transaction.atomic
def recommendation_add(
    *, review: Review, text: str, body: str, priority: str, by: Any
) -> Recommendation:
    """What needs to be done to improve, addressed to a responsible body, with a priority."""
    problems = []
    if not text.strip():
        problems.append("Say what needs to be done.")
    if not body.strip():
        problems.append("Name the body responsible.")
    if priority not in Priority.values:
        problems.append("Choose a priority: immediately, within six months or longer term.")
    if problems:
        raise ReportRefused(problems)
    order = Recommendation.objects.filter(review=review).count()
    recommendation = Recommendation(
        review=review,
        text=text.strip().rstrip("."),
        body=body.strip(),
        priority=priority,
        order=order,
    )
    recommendation._history_user = by  # type: ignore[attr-defined]
    recommendation.save()
    return recommendation
