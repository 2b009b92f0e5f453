"""Publication: the checks before it (`publication_problems`, pure), the freeze when the review
moves to "published" (`publication_freeze`), and the confidentiality check.

Nothing confidential is ever in a published output (DESIGN, "Rules that hold everywhere"): the
check looks in every output to be published (the report's HTML, which the PDF is printed from,
the children's version and the grades) for any pseudonym the team uses, any sentence the team
wrote in its confidential area (case-file notes and readings, fieldwork findings, tracked
children's journeys, meeting notes, neighbourhood studies: `evidence.fieldwork.
confidential_writing`), and any sentence of an accuracy comment or of the team's answer to one.
"""

import html as html_lib
import json
import re
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string

from ecm_inspect.core.tasks import enqueue_on_commit
from ecm_inspect.evidence.fieldwork import confidential_pseudonyms, confidential_writing
from ecm_inspect.reviews.models import Review

from .. import document
from ..document import (
    CHILDREN_MAX_GRADE,
    children_paragraphs,
    reading_grade,
    render_children,
    render_html,
)
from ..models import GRADED_LEVELS, AccuracyComment, Level, Publication, ReviewJudgement
from .drafts import open_comments
from .judgements import judgements_missing

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
    """Anything confidential found in the outputs to be published: a child's pseudonym, a
    sentence of anything written in the team's confidential area, the text of an accuracy
    comment (or its answer)."""
    text = _plain(outputs)
    lowered = text.casefold()
    problems = []
    for pseudonym in sorted(confidential_pseudonyms(review)):
        if pseudonym and re.search(rf"\b{re.escape(pseudonym)}\b", text, re.IGNORECASE):
            problems.append(f"the pseudonym {pseudonym!r} of a child")
    for what, written in confidential_writing(review):
        for sentence in _sentences(written):
            if sentence.casefold() in lowered:
                problems.append(f"a sentence of {what} ({sentence[:40]}...)")
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


def publication_outputs(review: Review) -> tuple[str, str, dict[str, int | None]]:
    return render_html(review), render_children(review), published_grades(review)


def readability_problem(review: Review) -> str | None:
    """Why the children's version is too hard to read, if it is."""
    level = reading_grade(children_paragraphs(review))
    if level > CHILDREN_MAX_GRADE:
        return f"The children's version reads at grade {level:.1f}; make it simpler."
    return None


def confidential_in_outputs(review: Review) -> list[str]:
    """Anything confidential in what publishing the review now would make public: the report's
    HTML, the children's version and the grades."""
    html, children, grades = publication_outputs(review)
    return confidentiality_problems(review, [html, children, json.dumps(grades)])


def publication_problems(review: Review) -> list[str]:
    """Why the report cannot be published as it stands (empty when it can): judgements not all
    ready, accuracy comments open, the children's version too hard to read, anything
    confidential in any output. Pure: it writes nothing."""
    reasons = list(judgements_missing(review))
    if count := open_comments(review):
        reasons.append(f"{count} accuracy comments are still open.")
    reasons += [f"It would publish {p}." for p in confidential_in_outputs(review)]
    if problem := readability_problem(review):
        reasons.append(problem)
    return reasons


@transaction.atomic
def publication_freeze(*, review: Review, on: date, by: Any = None) -> Publication:
    """Freeze the report as it is published: the HTML (the PDF is printed from it), the
    children's version and the grades, dated the day of the move to "published". Run by that
    move (`stages.on_entering`), after its guards, so never on its own."""
    html, children, grades = publication_outputs(review)
    publication = Publication.objects.filter(review=review).first() or Publication(review=review)
    publication.published_on = on
    publication.html, publication.children_html = html, children
    publication.grades, publication.published_by = grades, by
    publication.reading_grade = reading_grade(children_paragraphs(review))
    publication.pdf = ""  # a PDF of what was published before is not this report
    publication._history_user = by  # type: ignore[attr-defined]
    publication.save()
    publication_pdf_print_on_commit(publication=publication)
    return publication


# -- the PDF, printed once and kept in storage ---------------------------------------------


def publication_pdf_body(publication: Publication) -> str:
    """What the PDF prints: the report as published, then any corrections made since, as on
    the published page."""
    corrections = render_to_string(
        "reports/_corrections.html", {"errata": publication.review.errata.all()}
    )
    return publication.html + corrections


def publication_pdf_print(*, publication: Publication) -> Publication:
    """Print the published report to PDF and keep it in storage, for the PDF page to serve
    as it is (`Publication.pdf`). Run by a task when the report is published or corrected
    (`publication_pdf_print_on_commit`), or once by the PDF page for a publication printed
    before PDFs were kept. Each printing is a new stored file; earlier ones are kept."""
    pdf = document.render_pdf(
        publication_pdf_body(publication),
        f"Joint area review of {publication.review.area.name}",
        published_on=publication.published_on,
    )
    publication.pdf.save(publication.pdf_filename, ContentFile(pdf), save=False)
    publication.save(update_fields=["pdf"])
    return publication


def publication_pdf_print_on_commit(*, publication: Publication) -> None:
    """Queue the printing of the publication's PDF once the transaction commits."""
    from ..tasks import publication_pdf_print_task

    enqueue_on_commit(publication_pdf_print_task, publication.pk)
