"""Corrections after publication (errata, each recorded and checked against the judgement
it corrects), and a report's gaps in provision and its recommendations."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.framework.grades import Grade, grade_words
from ecm_inspect.reviews.models import Review

from ..models import (
    Erratum,
    Gap,
    GapKind,
    Priority,
    Publication,
    Recommendation,
    ReviewJudgement,
)
from .judgements import ReportRefused, fingerprint, is_read_only

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
        changes.append(("Grade", grade_words(judgement.grade), grade_words(grade)))
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
