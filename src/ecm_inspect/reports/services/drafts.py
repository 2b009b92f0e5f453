"""The accuracy cycle (2004 proposals, "Reporting the findings"): "The team leader will send a
draft to the director of children's services for circulation to the chief officers of the
organisations involved, with an invitation to comment on accuracy."

Every draft is kept, numbered, paragraph by paragraph, and any two can be compared. The DCS
records whom they circulated it to; chief officers (the DCS and partner contributors) comment
per paragraph while it is out; the team accepts or rejects each comment with a reason.
"""

import difflib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.reviews.models import Review, Stage

from ..document import report_paragraphs
from ..models import AccuracyComment, CommentStatus, ReportDraft
from .judgements import ReportRefused


@transaction.atomic
def draft_make(*, review: Review, by: Any = None) -> ReportDraft:
    """A new numbered draft from the judgements as recorded now (the earlier ones are kept)."""
    Review.objects.select_for_update().filter(pk=review.pk).first()
    number = ReportDraft.objects.filter(review=review).count() + 1
    paras = [[p.id, p.heading, p.text] for p in report_paragraphs(review)]
    draft = ReportDraft(review=review, number=number, paragraphs=paras, made_by=by)
    draft._history_user = by  # type: ignore[attr-defined]
    draft.save()
    return draft


def draft_diff(older: ReportDraft, newer: ReportDraft) -> list[str]:
    """What changed between two drafts, paragraph by paragraph, as a unified diff."""
    a = [f"[{p[0]}] {p[2]}" for p in older.paragraphs]
    b = [f"[{p[0]}] {p[2]}" for p in newer.paragraphs]
    return list(
        difflib.unified_diff(
            a, b, f"draft {older.number}", f"draft {newer.number}", lineterm="", n=0
        )
    )


@dataclass(frozen=True)
class Piece:
    """A run of words in a changed paragraph: kept ("equal"), added ("insert") or removed."""

    op: str
    text: str


@dataclass(frozen=True)
class ParagraphChange:
    id: str
    heading: str
    status: str  # "added", "removed", "changed"
    pieces: list[Piece]


def draft_changes(older: ReportDraft, newer: ReportDraft) -> list[ParagraphChange]:
    """The paragraphs that differ between two drafts, each with a word-by-word comparison, in
    the newer draft's order (removed paragraphs where they stood)."""
    before = {p[0]: p for p in older.paragraphs}
    after = {p[0]: p for p in newer.paragraphs}
    order = [p[0] for p in newer.paragraphs] + [k for k in before if k not in after]
    out = []
    for pid in order:
        old, new = before.get(pid), after.get(pid)
        if old is not None and new is not None and old[2] == new[2]:
            continue
        if old is None:
            out.append(ParagraphChange(pid, new[1], "added", [Piece("insert", new[2])]))  # type: ignore[index]
            continue
        if new is None:
            out.append(ParagraphChange(pid, old[1], "removed", [Piece("delete", old[2])]))
            continue
        a, b = old[2].split(), new[2].split()
        pieces = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op in ("equal", "delete", "replace"):
                pieces.append(Piece("equal" if op == "equal" else "delete", " ".join(a[i1:i2])))
            if op in ("insert", "replace"):
                pieces.append(Piece("insert", " ".join(b[j1:j2])))
        out.append(ParagraphChange(pid, new[1], "changed", pieces))
    return out


def _is_out(draft: ReportDraft) -> bool:
    """The review's stage as stored now (the caller's copy of the review may be older)."""
    stage = Review.objects.filter(pk=draft.review_id).values_list("stage", flat=True).first()
    return stage == Stage.DRAFT_SENT


@transaction.atomic
def draft_circulate(*, draft: ReportDraft, organisations: list[str], by: Any) -> ReportDraft:
    """The DCS records the chief officers' organisations the draft went to."""
    if not _is_out(draft):
        raise ReportRefused("The draft can be circulated only while it is out for comments.")
    names = [o.strip() for o in organisations if o.strip()]
    if not names:
        raise ReportRefused("Name the organisations the draft was circulated to.")
    draft.circulated_to = sorted(set(draft.circulated_to) | set(names))
    draft.circulated_at, draft.circulated_by = timezone.now(), by
    draft._history_user = by  # type: ignore[attr-defined]
    draft.save()
    return draft


@transaction.atomic
def comment_add(
    *, draft: ReportDraft, paragraph: str, organisation: str, text: str, by: Any
) -> AccuracyComment:
    """A chief officer's comment on the accuracy of one paragraph of the draft that is out."""
    problems = []
    if not _is_out(draft):
        problems.append("Comments on accuracy are taken only while the draft is out.")
    latest = ReportDraft.objects.filter(review=draft.review).order_by("-number").first()
    if latest is not None and latest.pk != draft.pk:
        problems.append(f"Comment on the latest draft ({latest.number}).")
    if paragraph not in {p[0] for p in draft.paragraphs}:
        problems.append(f"Draft {draft.number} has no paragraph {paragraph!r}.")
    if not text.strip():
        problems.append("Write the comment.")
    if problems:
        raise ReportRefused(problems)
    comment = AccuracyComment(
        draft=draft, paragraph=paragraph, organisation=organisation, text=text.strip(), author=by
    )
    comment._history_user = by  # type: ignore[attr-defined]
    comment.save()
    return comment


@transaction.atomic
def comment_decide(
    *, comment: AccuracyComment, accept: bool, reason: str, by: Any
) -> AccuracyComment:
    """The team accepts or rejects a comment, always with a reason."""
    if comment.status != CommentStatus.OPEN:
        raise ReportRefused("This comment has already been answered.")
    if not reason.strip():
        raise ReportRefused("Give the reason for accepting or rejecting the comment.")
    comment.status = CommentStatus.ACCEPTED if accept else CommentStatus.REJECTED
    comment.reason, comment.decided_by = reason.strip(), by
    comment._history_user = by  # type: ignore[attr-defined]
    comment.save()
    return comment


def open_comments(review: Review) -> int:
    return AccuracyComment.objects.filter(draft__review=review, status=CommentStatus.OPEN).count()
