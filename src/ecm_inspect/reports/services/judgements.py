"""The judgements of a review: proposed from the evidence, drafted by the team (each outcome by
its lead, the rest by the team leader) with the evidence they rest on, or marked not judged
with a reason; returned or signed off by the team leader; read-only once published, corrected
by erratum; gaps in provision and recommendations.

The proposal rule is in proposals.py; errata, gaps and recommendations in corrections.py.
The drafter records the grade (outcomes, service management, capacity) or the finding, with a
rationale and the evidence items it rests on: no graded judgement without evidence; an item
not tagged with what the judgement is about only with a reason.
A vulnerable group's finding answers each of its statements (2004, "Focus on outcomes").
Sign-off stores a fingerprint of the judgement and its evidence (each item's version); a change
to either afterwards means the sign-off no longer stands.
"""

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.core.concurrency import record_update
from ecm_inspect.evidence.analysis import in_scope_judgements
from ecm_inspect.evidence.models import (
    EvidenceItem,
)
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import (
    VulnerableGroupStatement,
)
from ecm_inspect.reviews.models import Review, Stage, TeamMember, TeamRole

from ..models import (
    Level,
    OutcomeLead,
    ReviewJudgement,
)


class ReportRefused(Exception):
    """A write the rules refuse, with every reason; `fields` says which form field each
    reason is about (for the error beside the field), where it is about one."""

    def __init__(self, reasons: list[str] | str, fields: dict[str, str] | None = None) -> None:
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        self.fields = dict(fields or {})
        super().__init__(" ".join(self.reasons))


PUBLISHED_STAGES = {Stage.PUBLISHED, Stage.FOLLOW_UP}


def is_read_only(review: Review) -> bool:
    """Once the report is published, judgements change only through a recorded erratum."""
    return review.stage in PUBLISHED_STAGES


def refuse_if_published(review: Review) -> None:
    if is_read_only(review):
        raise ReportRefused(
            "The report is published: the judgements can no longer be edited. Correct one "
            "with an erratum (the team leader or the national lead)."
        )


# -- recording and signing off ------------------------------------------------------------


def group_statements(judgement: ReviewJudgement) -> list[VulnerableGroupStatement]:
    """The statements a vulnerable group's finding answers (none for other judgements)."""
    if judgement.level != Level.GROUP:
        return []
    return list(VulnerableGroupStatement.objects.filter(group__slug=judgement.code))


def fingerprint(judgement: ReviewJudgement) -> str:
    """A hash of what was signed off: the judgement and each evidence item's version. The grade
    for the council's own services joins it only when there is one, so the sign-offs made
    before it existed still hold."""
    items = sorted(judgement.evidence.values_list("pk", "version"))
    signed: list[Any] = [
        judgement.grade,
        judgement.finding,
        judgement.rationale,
        sorted(judgement.statement_findings.items()),
        items,
        judgement.not_judged,
        judgement.not_judged_reason,
        sorted((str(k), v) for k, v in judgement.evidence_reasons.items()),
    ]
    if judgement.council_grade is not None:
        signed.append(["council", judgement.council_grade])
    text = json.dumps(signed)
    return hashlib.sha256(text.encode()).hexdigest()


def is_signed_off(judgement: ReviewJudgement) -> bool:
    return bool(judgement.signed_off_at) and judgement.signed_off_fingerprint == fingerprint(
        judgement
    )


def relevant_items(judgement: ReviewJudgement) -> Any:
    """The review's evidence tagged with what the judgement is about: its key judgement; an
    outcome's key judgements; a group; a service-management aspect; any aspect for service
    management and capacity."""
    items = EvidenceItem.objects.filter(review=judgement.review)
    if judgement.level == Level.KEY_JUDGEMENT:
        items = items.filter(key_judgements__code=judgement.code)
    elif judgement.level == Level.OUTCOME:
        items = items.filter(key_judgements__code__startswith=f"{judgement.code}.")
    elif judgement.level == Level.GROUP:
        items = items.filter(vulnerable_groups__slug=judgement.code)
    elif judgement.level == Level.ASPECT:
        items = items.filter(service_management_aspects__code=judgement.code)
    else:
        items = items.filter(service_management_aspects__isnull=False)
    return items.distinct().order_by("title")


@transaction.atomic
class _Refusals:
    """What a draft is refused for: every reason, and the form field each is about."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.fields: dict[str, str] = {}

    def __call__(self, field: str, text: str) -> None:
        self.problems.append(text)
        self.fields.setdefault(field, text)


def _check_grades(
    refuse: _Refusals,
    judgement: ReviewJudgement,
    grade: int | None,
    council_grade: int | None,
    not_judged: bool,
    not_judged_reason: str,
) -> None:
    if not_judged:
        if not judgement.can_be_not_judged:
            refuse("grade", f"{judgement.title} always takes a grade: it cannot be not judged.")
        if not not_judged_reason.strip():
            refuse("not_judged_reason", "Say why the team is not judging this.")
    elif grade is not None and grade not in Grade.values:
        refuse("grade", "Choose a grade: outstanding, good, adequate or inadequate.")
    elif judgement.is_graded and grade is None:
        refuse("grade", "Choose a grade: outstanding, good, adequate or inadequate.")
    if council_grade is not None:
        if judgement.level != Level.OUTCOME:
            refuse(
                "council_grade",
                "Only an outcome takes a grade for the council's own services.",
            )
        elif council_grade not in Grade.values:
            refuse(
                "council_grade",
                "The grade for the council's own services is outstanding, good, adequate or "
                "inadequate, or empty where it is the same as for local services overall.",
            )


def _check_statements(
    refuse: _Refusals,
    judgement: ReviewJudgement,
    statement_findings: dict[str, str] | None,
    not_judged: bool,
) -> dict[str, str]:
    """A vulnerable group's finding against each of its statements, checked."""
    statements = {s.code: s for s in group_statements(judgement)}
    answers = {
        code: text.strip() for code, text in (statement_findings or {}).items() if text.strip()
    }
    if unknown := sorted(set(answers) - set(statements)):
        refuse("statements", f"{', '.join(unknown)} is not a statement about this group.")
    if not not_judged and (missing := [code for code in statements if code not in answers]):
        refuse("statements", f"Write the finding against each statement: {', '.join(missing)}.")
    return answers


def _check_evidence(
    refuse: _Refusals,
    judgement: ReviewJudgement,
    evidence_ids: list[int],
    evidence_reasons: dict[int, str] | None,
    not_judged: bool,
) -> tuple[list[EvidenceItem], dict[str, str]]:
    """The evidence items a draft rests on, and the reason given for each not tagged with
    what the judgement is about."""
    wanted = set(evidence_ids)
    items = list(EvidenceItem.objects.filter(review=judgement.review, pk__in=wanted))
    if len(items) != len(wanted):
        refuse("evidence", "An evidence item that is not in this review was refused.")
    tagged = set(relevant_items(judgement).values_list("pk", flat=True))
    given = {int(k): str(v).strip() for k, v in (evidence_reasons or {}).items()}
    reasons: dict[str, str] = {}
    for item in items:
        if item.pk in tagged:
            continue
        if given.get(item.pk):
            reasons[str(item.pk)] = given[item.pk]
        else:
            refuse(
                f"evidence-reason-{item.pk}",
                f"Say why \u201c{item.title}\u201d bears on {judgement.code}: it is not tagged "
                "with it.",
            )
    if not items and not not_judged:
        refuse("evidence", "No grade without evidence: choose the evidence items it rests on.")
    return items, reasons


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
    not_judged: bool = False,
    not_judged_reason: str = "",
    evidence_reasons: dict[int, str] | None = None,
    council_grade: int | None = None,
) -> ReviewJudgement:
    """Draft a judgement: graded ones need a grade; an outcome may also take the grade for the
    council's own services beside it (`grade` is for local services overall; empty where the
    two are the same); every one a finding and a rationale,
    unless the team marks it not judged with a reason (Framework paragraph 10: judgements only
    where appropriate and practical; graded levels always take a grade); a vulnerable group a
    finding against each statement; none without the evidence it rests on, each item from the
    review, and one not tagged with what the judgement is about only with a reason. Recording
    again loses any sign-off and answers a return. Refused with every reason, nothing saved;
    refused outright once the report is published."""
    refuse_if_published(judgement.review)
    refuse = _Refusals()
    _check_grades(refuse, judgement, grade, council_grade, not_judged, not_judged_reason)
    if not_judged:
        grade = None
    if not not_judged and not finding.strip():
        refuse("finding", "Write the finding.")
    if not not_judged and not rationale.strip():
        refuse("rationale", "Give the rationale: why this grade or finding.")
    answers = _check_statements(refuse, judgement, statement_findings, not_judged)
    items, reasons = _check_evidence(refuse, judgement, evidence_ids, evidence_reasons, not_judged)
    if refuse.problems:
        raise ReportRefused(refuse.problems, refuse.fields)
    return record_update(
        record=judgement,
        seen_version=seen_version,
        changes={
            "grade": grade,
            "council_grade": council_grade if judgement.level == Level.OUTCOME else None,
            "finding": finding.strip(),
            "rationale": rationale.strip(),
            "statement_findings": answers,
            "not_judged": not_judged,
            "not_judged_reason": not_judged_reason.strip() if not_judged else "",
            "evidence_reasons": reasons,
            "recorded_by": by,
            "recorded_at": timezone.now(),
            "signed_off_by": None,
            "signed_off_at": None,
            "signed_off_fingerprint": "",
            "returned_comment": "",
            "returned_by": None,
            "returned_at": None,
        },
        many={"evidence": items},
        by=by,
    )


def is_team_leader(review: Review, user: Any) -> bool:
    return (
        user is not None and review.team.filter(inspector__user=user, role=TeamRole.LEADER).exists()
    )


def _moderator(review: Review, by: Any) -> None:
    if not (is_team_leader(review, by) or getattr(by, "is_superuser", False)):
        raise ReportRefused("Only the review's team leader signs judgements off or returns them.")


def _ready_to_sign(judgement: ReviewJudgement) -> bool:
    return judgement.is_recorded and (judgement.not_judged or judgement.evidence.exists())


@transaction.atomic
def judgement_sign_off(*, judgement: ReviewJudgement, by: Any) -> ReviewJudgement:
    """The team leader accepts a drafted, evidenced judgement (or one not judged with a
    reason): signs it off (audited)."""
    refuse_if_published(judgement.review)
    _moderator(judgement.review, by)
    if not _ready_to_sign(judgement):
        raise ReportRefused("Record the judgement, with its evidence, before signing it off.")
    judgement.signed_off_by, judgement.signed_off_at = by, timezone.now()
    judgement.signed_off_fingerprint = fingerprint(judgement)
    judgement.returned_comment, judgement.returned_by, judgement.returned_at = "", None, None
    judgement._history_user = by  # type: ignore[attr-defined]
    judgement.save()
    return judgement


@transaction.atomic
def judgement_return(*, judgement: ReviewJudgement, comment: str, by: Any) -> ReviewJudgement:
    """The team leader returns a draft to its drafter with a comment (the drafter sees it)."""
    refuse_if_published(judgement.review)
    _moderator(judgement.review, by)
    if not comment.strip():
        raise ReportRefused(
            "Say what the drafter should look at again.", {"comment": "Write a comment."}
        )
    judgement.returned_comment, judgement.returned_by = comment.strip(), by
    judgement.returned_at = timezone.now()
    judgement.signed_off_by, judgement.signed_off_at = None, None
    judgement.signed_off_fingerprint = ""
    judgement._history_user = by  # type: ignore[attr-defined]
    judgement.save()
    return judgement


def judgement_status(judgement: ReviewJudgement) -> str:
    """to_do, drafted, returned, signed_off or changed (since sign-off)."""
    if is_signed_off(judgement):
        return "signed_off"
    if judgement.signed_off_at:
        return "changed"
    if judgement.returned_at:
        return "returned"
    if judgement.is_recorded:
        return "drafted"
    return "to_do"


def can_bulk_sign_off(judgement: ReviewJudgement) -> bool:
    return judgement_status(judgement) in {"drafted", "changed"} and _ready_to_sign(judgement)


@transaction.atomic
def judgements_sign_off_all(
    *, judgements: list[ReviewJudgement], seen: dict[int, str], by: Any
) -> int:
    """Sign off, together, every drafted judgement of a page that is unchanged since the team
    leader saw it (`seen`: judgement id to fingerprint). Returns how many were signed off."""
    count = 0
    for judgement in judgements:
        judgement.refresh_from_db()
        refuse_if_published(judgement.review)
        _moderator(judgement.review, by)
        if can_bulk_sign_off(judgement) and seen.get(judgement.pk) == fingerprint(judgement):
            judgement_sign_off(judgement=judgement, by=by)
            count += 1
    return count


def key_judgements_unrecorded(review: Review) -> list[str]:
    """The in-scope key judgements neither drafted nor marked not judged with a reason."""
    recorded = {
        j.code
        for j in ReviewJudgement.objects.filter(review=review, level=Level.KEY_JUDGEMENT)
        if j.is_recorded
    }
    return [kj.code for kj in in_scope_judgements(review) if kj.code not in recorded]


def judgements_missing(review: Review) -> list[str]:
    """Why the judgements are not ready for publication (empty when they are)."""
    out = []
    judgements = list(ReviewJudgement.objects.filter(review=review).prefetch_related("evidence"))
    if not judgements:
        return ["No judgement has been proposed or recorded."]
    for j in judgements:
        if not j.is_recorded:
            out.append(f"{j.code} is not recorded.")
        elif j.not_judged and j.is_graded:
            out.append(f"{j.code} needs a grade.")
        elif not j.not_judged and not j.evidence.all():
            out.append(f"{j.code} rests on no evidence.")
        elif not is_signed_off(j):
            out.append(f"{j.code} is not signed off (or changed since).")
    return out


@transaction.atomic
def outcome_lead_set(
    *, review: Review, outcome_code: str, member: TeamMember | None, by: Any
) -> OutcomeLead | None:
    """Make a team member the lead of an outcome (or leave it with the team leader: None)."""
    if member is not None and member.review_id != review.pk:
        raise ReportRefused("Choose a member of this review's team.")
    found = OutcomeLead.objects.filter(review=review, outcome_code=outcome_code).first()
    if member is None:
        if found is not None:
            found._history_user = by  # type: ignore[attr-defined]
            found.delete()
        return None
    lead = found or OutcomeLead(review=review, outcome_code=outcome_code)
    lead.member = member
    lead._history_user = by  # type: ignore[attr-defined]
    lead.save()
    return lead
