"""The judgements of a review: proposed from the evidence, drafted by the team (each outcome by
its lead, the rest by the team leader) with the evidence they rest on, or marked not judged
with a reason; returned or signed off by the team leader; read-only once published, corrected
by erratum; gaps in provision and recommendations.

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
from django.template.defaultfilters import pluralize
from django.utils import timezone

from ecm_inspect.accounts.concurrency import record_update
from ecm_inspect.evidence.analysis import in_scope_judgements, judge
from ecm_inspect.evidence.fieldwork import fieldwork_weighing, is_fieldwork_finding
from ecm_inspect.evidence.models import (
    AnalysisStatus,
    EvidenceItem,
    Indication,
    JudgementAnalysis,
)
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import (
    Outcome,
    ServiceManagementAspect,
    VulnerableGroup,
    VulnerableGroupStatement,
)
from ecm_inspect.reviews.models import Review, Stage, TeamMember, TeamRole

from ..models import (
    Erratum,
    Gap,
    GapKind,
    Level,
    OutcomeLead,
    Priority,
    Publication,
    Recommendation,
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


def _refuse_if_published(review: Review) -> None:
    if is_read_only(review):
        raise ReportRefused(
            "The report is published: the judgements can no longer be edited. Correct one "
            "with an erratum (the team leader or the national lead)."
        )


def _mean(grades: list[int]) -> int | None:
    """The rounded mean (Python's round: a half goes to the even grade), as the analysis does."""
    return round(sum(grades) / len(grades)) if grades else None


def _words(grade: int | None) -> str:
    return str(Grade(grade).label).lower() if grade else "no grade"


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
                f"Agreed at analysis as {_words(analysis.proposed_grade)}; {len(contrary)} "
                f"fieldwork item{pluralize(len(contrary))} since point"
                f"{pluralize(len(contrary), 's,')} the other way: "
                + "; ".join(i.title for i in contrary)
                + ".",
                f"Recomputed with the analysis rule over all {len(others)} other evidence "
                f"items: {_words(grade)}.",
            ]
        elif analysis is not None and analysis.status == AnalysisStatus.AGREED:
            grade = analysis.proposed_grade
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
                + f": {_words(grade)}."
            ]
        weighing = fieldwork_weighing(grade, findings)
        grade = weighing.grade
        reasons.extend(weighing.reasons)
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
    _refuse_if_published(judgement.review)
    problems: list[str] = []
    fields: dict[str, str] = {}

    def refuse(field: str, text: str) -> None:
        problems.append(text)
        fields.setdefault(field, text)

    if not_judged:
        if not judgement.can_be_not_judged:
            refuse("grade", f"{judgement.title} always takes a grade: it cannot be not judged.")
        if not not_judged_reason.strip():
            refuse("not_judged_reason", "Say why the team is not judging this.")
        grade = None
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
    if not not_judged and not finding.strip():
        refuse("finding", "Write the finding.")
    if not not_judged and not rationale.strip():
        refuse("rationale", "Give the rationale: why this grade or finding.")
    statements = {s.code: s for s in group_statements(judgement)}
    answers = {
        code: text.strip() for code, text in (statement_findings or {}).items() if text.strip()
    }
    if unknown := sorted(set(answers) - set(statements)):
        refuse("statements", f"{', '.join(unknown)} is not a statement about this group.")
    if not not_judged and (missing := [code for code in statements if code not in answers]):
        refuse("statements", f"Write the finding against each statement: {', '.join(missing)}.")
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
    if problems:
        raise ReportRefused(problems, fields)
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
    _refuse_if_published(judgement.review)
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
    _refuse_if_published(judgement.review)
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
        _refuse_if_published(judgement.review)
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


# -- corrections after publication -------------------------------------------------------


def erratum_check(
    *, judgement: ReviewJudgement, grade: int | None, finding: str, reason: str, by: Any
) -> list[tuple[str, str, str]]:
    """What an erratum would change ([(what, old, new)]), refused with every reason: only once
    the report is published, by the team leader or the national lead, with a reason, changing
    something, and nothing confidential in what the public will read."""
    from .publication import confidentiality_problems

    review = judgement.review
    problems: list[str] = []
    fields: dict[str, str] = {}
    if not is_read_only(review):
        raise ReportRefused("Before publication, edit the judgement itself: no erratum needed.")
    if not (
        by is not None
        and (
            by.has_perm("reports.correct_judgements", review) or getattr(by, "is_superuser", False)
        )
    ):
        raise ReportRefused("Only the team leader or the national lead corrects a judgement.")
    if grade is not None and grade not in Grade.values:
        problems.append("Choose a grade: outstanding, good, adequate or inadequate.")
        fields["grade"] = problems[-1]
    changes = []
    if grade is not None and grade != judgement.grade:
        changes.append(("Grade", _words(judgement.grade), _words(grade)))
    if finding.strip() and finding.strip() != judgement.finding:
        changes.append(("Finding", judgement.finding, finding.strip()))
    if not changes and not problems:
        problems.append("Change the grade or the finding: the erratum corrects something.")
        fields["finding"] = problems[-1]
    if not reason.strip():
        problems.append("Say why the judgement is corrected.")
        fields["reason"] = problems[-1]
    if found := confidentiality_problems(review, [finding, reason]):
        problems.extend(found)
        fields.setdefault("finding", found[0])
    if problems:
        raise ReportRefused(problems, fields)
    return changes


@transaction.atomic
def erratum_record(
    *, judgement: ReviewJudgement, grade: int | None, finding: str, reason: str, by: Any
) -> Erratum:
    """Correct a published judgement: the erratum records old and new, why, by whom and when
    (audited), and the judgement takes the correction (signed off by whoever made it)."""
    from .publication import publication_pdf_print_on_commit

    changes = erratum_check(judgement=judgement, grade=grade, finding=finding, reason=reason, by=by)
    erratum = Erratum(
        review=judgement.review,
        judgement=judgement,
        what="; ".join(what for what, _, _ in changes),
        old_grade=judgement.grade,
        new_grade=grade if grade is not None else judgement.grade,
        old_text=judgement.finding,
        new_text=finding.strip() or judgement.finding,
        reason=reason.strip(),
        made_by=by,
    )
    erratum._history_user = by  # type: ignore[attr-defined]
    erratum.save()
    judgement.grade, judgement.finding = erratum.new_grade, erratum.new_text
    judgement.version += 1
    judgement.signed_off_by, judgement.signed_off_at = by, timezone.now()
    judgement.signed_off_fingerprint = ""
    judgement._history_user = by  # type: ignore[attr-defined]
    judgement.save()
    judgement.signed_off_fingerprint = fingerprint(judgement)
    judgement.save(update_fields=["signed_off_fingerprint"])
    if publication := Publication.objects.filter(review=judgement.review).first():
        # The PDF lists the corrections, as the published page does: print it again.
        publication_pdf_print_on_commit(publication=publication)
    return erratum


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
