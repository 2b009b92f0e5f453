"""What the review's stages ask of the report, what publishing it does (freeze it, make it
public), the grades it gives the APA, and how the proposals keep up with fieldwork."""

from datetime import date
from typing import Any

from django.template.defaultfilters import pluralize
from django.urls import reverse

from ecm_inspect.evidence.fieldwork import when_findings_change
from ecm_inspect.performance.services import REVIEW_GRADES
from ecm_inspect.registry.models import Area
from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.selectors import review_published_in
from ecm_inspect.reviews.stages import Line, on_confirming, on_entering, precondition

from .models import Level, ReportDraft, ReviewJudgement
from .services import (
    is_read_only,
    judgements_missing,
    judgements_propose,
    key_judgements_unrecorded,
    open_comments,
    publication_freeze,
    published_grades,
    readability_problem,
)
from .services.publication import confidential_in_outputs


def _first(items: list[str], shown: int, sep: str) -> str:
    """The first `shown` items joined, and how many more there are."""
    more = len(items) - shown
    return sep.join(items[:shown]) + (f" (and {more} more)" if more > 0 else "")


@precondition(Stage.FINDINGS_AGREED)
def findings_recorded(review: Review, on: date) -> str | None:
    """Every in-scope key judgement drafted (or signed off), or marked not judged with a
    reason."""
    missing = key_judgements_unrecorded(review)
    if not missing:
        return None
    return (
        f"{len(missing)} key judgement{pluralize(len(missing), ' is,s are')} neither "
        "recorded nor marked not judged with a reason: " + _first(missing, 10, ", ") + "."
    )


@precondition(Stage.DRAFT_SENT)
def draft_exists(review: Review, on: date) -> str | None:
    """A draft report exists."""
    if not ReportDraft.objects.filter(review=review).exists():
        return "There is no draft report yet: make one from the recorded judgements."
    return None


@precondition(Stage.COMMENTS_CLOSED)
@precondition(Stage.PUBLISHED)
def comments_answered(review: Review, on: date) -> str | None:
    """Every accuracy comment is accepted or rejected with a reason."""
    count = open_comments(review)
    if not count:
        return None
    return f"{count} accuracy comment{'s are' if count > 1 else ' is'} not answered yet."


@precondition(Stage.PUBLISHED)
def judgements_ready(review: Review, on: date) -> str | None:
    """Every in-scope judgement recorded, evidenced and signed off by the team leader."""
    missing = judgements_missing(review)
    if not missing:
        return None
    return "Not every judgement is ready: " + _first(missing, 5, " ")


@precondition(Stage.PUBLISHED)
def recommendation_made(review: Review, on: date) -> str | None:
    """The report makes at least one recommendation."""
    if not review.recommendations.exists():
        return "The report makes no recommendation: add at least one on the judgements page."
    return None


@precondition(Stage.PUBLISHED)
def children_version_readable(review: Review, on: date) -> str | None:
    """The children's version reads easily."""
    return readability_problem(review)


@precondition(Stage.PUBLISHED)
def nothing_confidential(review: Review, on: date) -> str | None:
    """Nothing confidential (a pseudonym, a case-file note, a comment) is in what is published."""
    found = confidential_in_outputs(review)
    return "It would publish " + "; ".join(found) + "." if found else None


@on_entering(Stage.PUBLISHED)
def freeze(review: Review, day: date, by: Any) -> None:
    """The report is frozen as published, in the move's transaction, dated the move's day."""
    publication_freeze(review=review, on=day, by=by)


@on_confirming(Stage.PUBLISHED)
def made_public(review: Review, day: date) -> list[Line]:
    grades = published_grades(review)
    words = ", ".join(f"{code} {grade}" for code, grade in grades.items() if grade is not None)
    lines = [
        Line(
            "The report",
            f"Frozen as it stands and public at {reverse('reports:published', args=[review.pk])}",
        ),
        Line(
            "The children's version",
            f"Public at {reverse('reports:published-children', args=[review.pk])}",
        ),
        Line("The PDF", f"Public at {reverse('reports:published-pdf', args=[review.pk])}"),
        Line(
            "The open-data grades",
            f"Added to {reverse('reports:open-data-csv')} and "
            f"{reverse('reports:open-data-json')}: {words or 'none recorded'}",
        ),
        Line(
            f"The {day.year} annual performance assessment",
            f"Takes the review's grades for the council's own services in {review.area.name}, "
            "per outcome, and recomputes overall and capacity to improve from them.",
        ),
        Line("Cannot be undone", "A published report stays public; it is corrected by erratum."),
    ]
    return lines


@on_confirming(Stage.COMMENTS_CLOSED)
@on_confirming(Stage.PUBLISHED)
def comments_open(review: Review, day: date) -> list[Line]:
    count = open_comments(review)
    if not count:
        return []
    return [Line("Accuracy comments", f"{count} not answered yet.", still_open=True)]


def review_grades(review: Review) -> dict[str, int]:
    """The review's grades for the APA of its year: per outcome, the grade for the council's
    own services (the grade for local services overall where the team recorded none apart),
    and service management. Not overall or capacity to improve: the APA recomputes them."""
    out: dict[str, int] = {}
    for j in ReviewJudgement.objects.filter(review=review):
        grade = j.council_grade or j.grade if j.level == Level.OUTCOME else j.grade
        if j.level in (Level.OUTCOME, Level.SERVICE_MANAGEMENT) and grade is not None:
            out[j.code] = grade
    return out


def published_review_grades(area: Area, year: int) -> dict[str, int] | None:
    """The APA's hook: the grades of the area's review published in the year, if any."""
    review = review_published_in(area, year)
    return review_grades(review) if review is not None else None


if published_review_grades not in REVIEW_GRADES:
    REVIEW_GRADES.append(published_review_grades)


@when_findings_change
def proposals_keep_up(review: Review) -> None:
    """Once the grades have been proposed, a fieldwork finding recorded or withdrawn refreshes
    the proposals (never a recorded grade), so what the team reads cites it at once."""
    if not is_read_only(review) and ReviewJudgement.objects.filter(review=review).exists():
        judgements_propose(review=review)
