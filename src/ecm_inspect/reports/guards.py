"""What the review's stages ask of the report, and the grades it gives the APA."""

from datetime import date

from ecm_inspect.performance.services import REVIEW_GRADES
from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.stages import precondition

from .models import GRADED_LEVELS, ReportDraft, ReviewJudgement
from .services import judgements_missing, key_judgements_unrecorded, open_comments


@precondition(Stage.FINDINGS_AGREED)
def findings_recorded(review: Review, on: date) -> str | None:
    """Every in-scope key judgement drafted (or signed off), or marked not judged with a
    reason."""
    missing = key_judgements_unrecorded(review)
    if not missing:
        return None
    return (
        f"{len(missing)} key judgement{'s are' if len(missing) != 1 else ' is'} neither "
        "recorded nor marked not judged with a reason: "
        + ", ".join(missing[:10])
        + (f" (and {len(missing) - 10} more)" if len(missing) > 10 else "")
        + "."
    )


@precondition(Stage.DRAFT_SENT)
def draft_exists(review: Review, on: date) -> str | None:
    """A draft report exists."""
    if not ReportDraft.objects.filter(review=review).exists():
        return "There is no draft report yet: make one from the recorded judgements."
    return None


@precondition(Stage.COMMENTS_CLOSED)
def comments_answered(review: Review, on: date) -> str | None:
    """Every accuracy comment is accepted or rejected with a reason."""
    count = open_comments(review)
    return f"{count} accuracy comments are still open." if count else None


@precondition(Stage.PUBLISHED)
def report_ready(review: Review, on: date) -> str | None:
    """Every in-scope judgement recorded, evidenced and signed off by the team leader; no
    accuracy comment open; the report checked (confidentiality) and frozen."""
    if count := open_comments(review):
        return f"{count} accuracy comments are still open."
    missing = judgements_missing(review)
    if missing:
        return (
            "Not every judgement is ready: "
            + " ".join(missing[:5])
            + (f" (and {len(missing) - 5} more)" if len(missing) > 5 else "")
        )
    if not hasattr(review, "publication"):
        return "The report has not been prepared for publication (the confidentiality check)."
    return None


def review_grades(review: Review) -> dict[str, int]:
    """The review's recorded grades, for the APA of its year."""
    return {
        j.code: j.grade
        for j in ReviewJudgement.objects.filter(review=review)
        if j.level in GRADED_LEVELS and j.grade is not None
    }


if review_grades not in REVIEW_GRADES:
    REVIEW_GRADES.append(review_grades)
