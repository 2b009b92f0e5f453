"""Publication: the report frozen after every check, and the confidentiality check.

Nothing confidential is ever in a published output (DESIGN, "Rules that hold everywhere"): the
check looks in every output to be published (the report's HTML, which the PDF is printed from,
the children's version and the grades) for any case-file pseudonym, any sentence of a
case-file note, and any sentence of an accuracy comment or of the team's answer to one.
"""

import html as html_lib
import json
import re
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.evidence.models import CaseFile, CaseFileNote
from ecm_inspect.reviews.models import Review

from ..document import (
    CHILDREN_MAX_GRADE,
    children_paragraphs,
    reading_grade,
    render_children,
    render_html,
)
from ..models import GRADED_LEVELS, AccuracyComment, Level, Publication, ReviewJudgement
from .drafts import open_comments
from .judgements import ReportRefused, judgements_missing

# A sentence shorter than this is too common to be evidence of a leak ("He is 9.").
MIN_SENTENCE_CHARS = 25


def _sentences(text: str) -> list[str]:
    return [
        " ".join(s.split())
        for s in re.split(r"(?<=[.!?])\s+|\n+", text)
        if len(s.strip()) >= MIN_SENTENCE_CHARS
    ]


def _plain(outputs: list[str]) -> str:
    """The outputs as plain text: tags dropped, entities decoded, white space collapsed."""
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", " ".join(outputs)))
    return " ".join(text.split())


def confidentiality_problems(review: Review, outputs: list[str]) -> list[str]:
    """Anything confidential found in the outputs to be published: a case-file pseudonym, a
    sentence of a case-file note, the text of an accuracy comment (or its answer)."""
    text = _plain(outputs)
    lowered = text.casefold()
    problems = []
    for pseudonym in CaseFile.objects.filter(review=review).values_list("pseudonym", flat=True):
        if pseudonym and re.search(rf"\b{re.escape(pseudonym)}\b", text, re.IGNORECASE):
            problems.append(f"the pseudonym {pseudonym!r} of a case file")
    notes = CaseFileNote.objects.filter(case_file__review=review).values_list("text", flat=True)
    for note in notes:
        for sentence in _sentences(note):
            if sentence.casefold() in lowered:
                problems.append(f"a sentence of a case-file note ({sentence[:40]}...)")
    comments = AccuracyComment.objects.filter(draft__review=review).values_list("text", "reason")
    for comment, reason in comments:
        for sentence in _sentences(comment) + _sentences(reason):
            if sentence.casefold() in lowered:
                problems.append(f"the text of a draft comment ({sentence[:40]}...)")
    return problems


def published_grades(review: Review) -> dict[str, int | None]:
    return {
        j.code: j.grade
        for j in ReviewJudgement.objects.filter(review=review).order_by("order")
        if j.level in GRADED_LEVELS or j.level == Level.GROUP
    }


@transaction.atomic
def publication_make(*, review: Review, on: date | None = None, by: Any = None) -> Publication:
    """Freeze the report for publication, or refuse with every reason: judgements not all
    recorded, evidenced and signed off; accuracy comments open; the children's version too
    hard to read; anything confidential in any output."""
    reasons = judgements_missing(review)
    if count := open_comments(review):
        reasons.append(f"{count} accuracy comments are still open.")
    html = render_html(review)
    children = render_children(review)
    grades = published_grades(review)
    reasons += [
        f"It would publish {p}."
        for p in confidentiality_problems(review, [html, children, json.dumps(grades)])
    ]
    level = reading_grade(children_paragraphs(review))
    if level > CHILDREN_MAX_GRADE:
        reasons.append(f"The children's version reads at grade {level:.1f}; make it simpler.")
    if reasons:
        raise ReportRefused(reasons)
    publication = Publication.objects.filter(review=review).first() or Publication(review=review)
    publication.published_on = on or timezone.localdate()
    publication.html, publication.children_html = html, children
    publication.grades, publication.reading_grade, publication.published_by = grades, level, by
    publication._history_user = by  # type: ignore[attr-defined]
    publication.save()
    return publication
