"""Recording and withdrawing fieldwork findings, each with its evidence item, and the rule by
which they move a proposal."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from ecm_inspect.framework.grades import Grade, grade_words
from ecm_inspect.framework.models import KeyJudgement, VulnerableGroup, VulnerableGroupCode
from ecm_inspect.reviews.models import Review

from ..models import (
    CaseCategory,
    CaseFile,
    EvidenceItem,
    EvidenceKind,
    FieldworkFinding,
    FieldworkMeeting,
    FindingSource,
    Indication,
    MeetingKind,
    NeighbourhoodStudy,
    Origin,
    ServiceAspect,
    Severity,
    TrackedChild,
)
from ..screening import screen
from ..services import EvidenceRefused, PersonalDataFound

# What follows a finding being recorded or withdrawn, registered by the apps above this one
# (the judgements' proposals keep up with the evidence): each is called with the review, in
# the same transaction.
FindingsChanged = Callable[[Review], None]
on_findings_changed: list[FindingsChanged] = []


def when_findings_change(effect: FindingsChanged) -> FindingsChanged:
    on_findings_changed.append(effect)
    return effect


def _findings_changed(review: Review) -> None:
    for effect in on_findings_changed:
        effect(review)


MEETING_EVIDENCE = {
    MeetingKind.CHILDREN: EvidenceKind.MEETING_CHILDREN,
    MeetingKind.PARENTS: EvidenceKind.MEETING_PARENTS,
    MeetingKind.STAFF: EvidenceKind.FOCUS_GROUP_STAFF,
    MeetingKind.PARTNERS: EvidenceKind.MEETING_PARTNERS,
    MeetingKind.MEMBERS: EvidenceKind.MEETING_MEMBERS_OFFICERS,
}
SOURCE_EVIDENCE = {
    FindingSource.CASE_FILE: EvidenceKind.CASE_FILE_READING,
    FindingSource.TRACKED_CHILD: EvidenceKind.TRACKED_CHILD,
    FindingSource.NEIGHBOURHOOD: EvidenceKind.NEIGHBOURHOOD_STUDY,
}
# The groups a child's case-file categories put the reading about.
CATEGORY_GROUPS = {
    CaseCategory.LOOKED_AFTER: VulnerableGroupCode.CHILDREN_IN_CARE,
    CaseCategory.LDD: VulnerableGroupCode.LDD,
}


def text_screened(text: str, confirmed: bool) -> bool:
    """Refuse text that may name someone unless the author confirmed it names no one; return
    whether anything was flagged (and so confirmed)."""
    findings = screen(text)
    if findings and not confirmed:
        raise PersonalDataFound(findings)
    return bool(findings)


def _judgements(review: Review, codes: Iterable[str]) -> list[KeyJudgement]:
    wanted = sorted({c.strip().upper() for c in codes if c.strip()})
    if not wanted:
        raise EvidenceRefused("Say which key judgements the finding bears on, e.g. SS.4.")
    found = list(KeyJudgement.objects.filter(code__in=wanted, version__code=review.framework_code))
    unknown = sorted(set(wanted) - {k.code for k in found})
    if unknown:
        raise EvidenceRefused(f"No such key judgement: {', '.join(unknown)}.")
    return found


def finding_title(finding: FieldworkFinding, codes: list[str]) -> str:
    """The evidence item's title: the finding's reference, direction, severity, what it bears
    on, and the aspect and service it is about; never its text."""
    direction = {
        Indication.STRENGTH: "a strength",
        Indication.WEAKNESS: "a weakness",
        Indication.NEUTRAL: "neither strength nor weakness",
    }[Indication(finding.indication)]
    if finding.severity:
        direction = f"a {finding.get_severity_display().split(':')[0].lower()} weakness"
    about = ", ".join(
        part
        for part in (
            finding.get_aspect_display().lower() if finding.aspect else "",
            finding.service,
        )
        if part
    )
    return f"{finding.reference}: {direction} on {', '.join(codes)}" + (
        f" ({about})" if about else ""
    )


def _evidence_kind(finding: FieldworkFinding) -> str:
    if finding.meeting is not None:
        return MEETING_EVIDENCE[MeetingKind(finding.meeting.kind)]
    return SOURCE_EVIDENCE[FindingSource(finding.source)]


def _groups(finding: FieldworkFinding) -> list[VulnerableGroup]:
    slugs: set[str] = set()
    if finding.case_file is not None:
        slugs |= {CATEGORY_GROUPS[c] for c in finding.case_file.categories if c in CATEGORY_GROUPS}
    if finding.tracked_child is not None and finding.tracked_child.case_file is not None:
        categories = finding.tracked_child.case_file.categories
        slugs |= {CATEGORY_GROUPS[c] for c in categories if c in CATEGORY_GROUPS}
    if finding.meeting is not None:
        slugs |= set(finding.meeting.vulnerable_groups.values_list("slug", flat=True))
    return list(VulnerableGroup.objects.filter(slug__in=sorted(slugs)))


def _evidence_write(finding: FieldworkFinding, judgements: list[KeyJudgement]) -> EvidenceItem:
    codes = [k.code for k in sorted(judgements, key=lambda k: (k.outcome.order, k.order))]
    fields: dict[str, Any] = {
        "kind": _evidence_kind(finding),
        "title": finding_title(finding, codes),
        "source": "The review team's fieldwork",
        "dated": finding.found_on,
        "author": finding.recorded_by,
        "grade": None,
        "indication": finding.indication,
        "summary": "What was found is kept in the team's confidential area.",
        "is_synthetic": finding.is_synthetic,
    }
    item = finding.evidence
    if item is None:
        item = EvidenceItem(
            review=finding.review, origin=Origin.FIELDWORK, origin_key=f"finding:{finding.pk}"
        )
    elif any(getattr(item, k) != v for k, v in fields.items()):
        item.version += 1
    for k, v in fields.items():
        setattr(item, k, v)
    if finding.recorded_by is not None:
        item._history_user = finding.recorded_by  # type: ignore[attr-defined]
    item.save()
    item.key_judgements.set(judgements)
    item.vulnerable_groups.set(_groups(finding))
    return item


@transaction.atomic
def finding_record(
    *,
    review: Review,
    found: str,
    key_judgement_codes: Iterable[str],
    indication: str,
    found_on: datetime.date,
    severity: str = "",
    case_file: CaseFile | None = None,
    tracked_child: TrackedChild | None = None,
    neighbourhood: NeighbourhoodStudy | None = None,
    meeting: FieldworkMeeting | None = None,
    service: str = "",
    aspect: str = "",
    confirm_no_personal_data: bool = False,
    is_synthetic: bool = False,
    by: Any = None,
) -> FieldworkFinding:
    """Record what fieldwork found and give it its evidence item. Exactly one of case_file,
    tracked_child, neighbourhood and meeting says where it was found; each must belong to the
    review. A severity is given for a weakness and only for one."""
    targets = {
        FindingSource.CASE_FILE: case_file,
        FindingSource.TRACKED_CHILD: tracked_child,
        FindingSource.NEIGHBOURHOOD: neighbourhood,
        FindingSource.MEETING: meeting,
    }
    given = [(source, target) for source, target in targets.items() if target is not None]
    if len(given) != 1:
        raise EvidenceRefused(
            "A finding comes from one case file, tracked child, neighbourhood or meeting."
        )
    source, target = given[0]
    if target.review_id != review.pk:
        raise EvidenceRefused(f"That {source.label.lower()} belongs to another review.")
    if not found.strip():
        raise EvidenceRefused("Say what was found.")
    if indication not in Indication.values:
        raise EvidenceRefused(f"No direction {indication!r}: a strength, a weakness or neither.")
    if indication == Indication.WEAKNESS and severity not in Severity.values:
        raise EvidenceRefused("Say how serious the weakness is: minor, significant or serious.")
    if indication != Indication.WEAKNESS and severity:
        raise EvidenceRefused("Only a weakness has a severity.")
    if aspect and aspect not in ServiceAspect.values:
        raise EvidenceRefused(f"No aspect of a service {aspect!r}.")
    if found_on > timezone.localdate():
        raise EvidenceRefused("A finding cannot be dated in the future.")
    judgements = _judgements(review, key_judgement_codes)
    flagged = text_screened(f"{service}\n{found}", confirm_no_personal_data)
    finding = FieldworkFinding.objects.create(
        review=review,
        source=source,
        case_file=case_file,
        tracked_child=tracked_child,
        neighbourhood=neighbourhood,
        meeting=meeting,
        service=service.strip(),
        aspect=aspect,
        found=found.strip(),
        indication=indication,
        severity=severity if indication == Indication.WEAKNESS else "",
        found_on=found_on,
        recorded_by=by,
        screening_confirmed=flagged,
        is_synthetic=is_synthetic,
    )
    finding.key_judgements.set(judgements)
    finding.evidence = _evidence_write(finding, judgements)
    finding.save(update_fields=["evidence"])
    _findings_changed(review)
    return finding


@transaction.atomic
def finding_withdraw(*, finding: FieldworkFinding, confirmed: bool = False) -> None:
    """Withdraw a finding recorded in error: it and its evidence item go, and any judgement
    resting on the item loses it (its sign-off no longer stands). Asks for confirmation."""
    if not confirmed:
        raise EvidenceRefused(
            f"Withdrawing {finding.reference} removes it and its evidence item from every "
            "judgement resting on it. Confirm that you mean to."
        )
    item, review = finding.evidence, finding.review
    finding.delete()
    if item is not None:
        item.delete()
    _findings_changed(review)


def is_fieldwork_finding(item: EvidenceItem) -> bool:
    return item.origin == Origin.FIELDWORK


@dataclass(frozen=True)
class Weighing:
    """How the fieldwork findings on a key judgement move the grade the other evidence
    proposes, with the findings cited by reference."""

    grade: Grade | None
    reasons: list[str]


def _severity_of(item: EvidenceItem) -> str:
    finding = getattr(item, "fieldwork_finding", None)
    return finding.severity if finding is not None else ""


def fieldwork_weighing(before: Grade | None, findings: list[EvidenceItem]) -> Weighing:
    """The fieldwork rule (pure, given the items and their findings):
    - the balance is the strengths less the weaknesses, a serious weakness counting twice;
    - a balance of -2 or less moves the grade one lower; +2 or more, one higher (at most
      outstanding); between, the findings confirm the grade;
    - a serious weakness leaves the grade at adequate at best;
    - with no grade from other evidence, the findings alone propose: good if strengths
      outweigh weaknesses (adequate with a serious weakness among them), adequate if weaknesses
      do (inadequate with a serious weakness).
    Every finding is cited by its reference."""
    if not findings:
        return Weighing(before, [])
    strengths = [i for i in findings if i.indication == Indication.STRENGTH]
    weaknesses = [i for i in findings if i.indication == Indication.WEAKNESS]
    serious = [i for i in weaknesses if _severity_of(i) == Severity.SERIOUS]
    balance = len(strengths) - len(weaknesses) - len(serious)
    cited = "; ".join(i.title for i in findings)
    counted = (
        f"Fieldwork: {len(strengths)} strength{pluralize(len(strengths))}, "
        f"{len(weaknesses)} weakness{pluralize(len(weaknesses), 'es')}"
        + (f" ({len(serious)} serious)" if serious else "")
        + f" — {cited}."
    )
    if before is None:
        if balance > 0:
            # Strengths outweigh, but a serious weakness still leaves adequate at best.
            grade: Grade | None = Grade.ADEQUATE if serious else Grade.GOOD
        elif balance < 0:
            grade = Grade.INADEQUATE if serious else Grade.ADEQUATE
        else:
            grade = None
        how = (
            f"With no graded evidence, the findings alone propose {grade_words(grade)}."
            if grade
            else "With no graded evidence and the findings balanced, no grade is proposed."
        )
        return Weighing(grade, [counted, how])
    grade = before
    if balance <= -2:
        grade = Grade(max(Grade.INADEQUATE, before - 1))
    elif balance >= 2:
        grade = Grade(min(Grade.OUTSTANDING, before + 1))
    if serious and grade > Grade.ADEQUATE:
        grade = Grade.ADEQUATE
    if grade == before:
        how = f"The findings confirm {grade_words(before)}."
    else:
        why = "a serious weakness leaves it at adequate at best" if serious else (
            "weaknesses outweigh strengths by two or more"
            if grade < before
            else "strengths outweigh weaknesses by two or more"
        )  # fmt: skip
        how = f"Moved from {grade_words(before)} to {grade_words(grade)}: {why}."
    return Weighing(grade, [counted, how])
