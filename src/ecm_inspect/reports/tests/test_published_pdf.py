"""The published report's PDF is printed once, when the report is published (and again when a
judgement is corrected), kept in storage and served from there: never printed per request."""

import re
import zlib
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

import pytest
from django.test import Client

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.rules import acting_on_the_server
from ecm_inspect.reports import document
from ecm_inspect.reports.models import Publication, ReviewJudgement
from ecm_inspect.reports.services import erratum_record
from ecm_inspect.reports.tests.test_reports import _publish, _ready
from ecm_inspect.reviews.tests.conftest import ReviewWorld


class Printing(NamedTuple):
    title: str
    body: str
    published_on: date | None
    pdf: bytes


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[Printing]:
    """Every PDF printed, in order (the real printer still prints)."""
    printings: list[Printing] = []
    real: Callable[..., bytes] = document.render_pdf

    def counting(body: str, title: str, *, published_on: date | None = None) -> bytes:
        pdf = real(body, title, published_on=published_on)
        printings.append(Printing(title, body, published_on, pdf))
        return pdf

    monkeypatch.setattr(document, "render_pdf", counting)
    return printings


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_pdf_is_printed_at_publication_and_served_from_storage(
    rw: ReviewWorld, printed: list[Printing], django_capture_on_commit_callbacks: Any
) -> None:
    _ready(rw)
    with django_capture_on_commit_callbacks(execute=True):
        publication = _publish(rw)
    publication.refresh_from_db()
    assert [p.title for p in printed] == ["Joint area review of Gateshead"]
    assert publication.pdf.name.startswith("published-reports/")
    with publication.pdf.open("rb") as f:
        stored = f.read()
    assert stored.startswith(b"%PDF")
    public = Client()
    url = f"/reports/{rw.review.pk}/report.pdf"
    first, second = public.get(url), public.get(url)
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert 'inline; filename="joint-area-review-E08000037.pdf"' == first["Content-Disposition"]
    assert _body(first) == _body(second) == stored
    assert len(printed) == 1  # neither request printed it again


def test_a_publication_without_a_stored_pdf_is_printed_once_on_first_request(
    rw: ReviewWorld, printed: list[Printing]
) -> None:
    _ready(rw)
    _publish(rw)  # its printing never ran (as for a report published before PDFs were kept)
    assert not Publication.objects.get(review=rw.review).pdf
    public = Client()
    url = f"/reports/{rw.review.pk}/report.pdf"
    first, second = _body(public.get(url)), _body(public.get(url))
    assert first == second
    assert first.startswith(b"%PDF")
    assert len(printed) == 1
    assert Publication.objects.get(review=rw.review).pdf


def test_a_correction_prints_the_pdf_again_with_it(
    rw: ReviewWorld, printed: list[Printing], django_capture_on_commit_callbacks: Any
) -> None:
    _ready(rw)
    with django_capture_on_commit_callbacks(execute=True):
        before = _publish(rw)
    before.refresh_from_db()
    judgement = ReviewJudgement.objects.get(review=rw.review, code="SS")
    with django_capture_on_commit_callbacks(execute=True):
        erratum_record(
            judgement=judgement, grade=2, finding="", reason="The grade was transcribed wrongly.",
            by=acting_on_the_server(rw.people.users[Role.REVIEW_TEAM_LEADER]),
        )  # fmt: skip
    after = Publication.objects.get(review=rw.review)
    assert len(printed) == 2
    assert after.pdf.name != before.pdf.name  # a new file; the one printed first is kept
    assert before.pdf.storage.exists(before.pdf.name)
    served = _body(Client().get(f"/reports/{rw.review.pk}/report.pdf"))
    with after.pdf.open("rb") as f:
        assert served == f.read()
    assert "The grade was transcribed wrongly." in printed[-1].body


def _expanded(pdf: bytes) -> bytes:
    """The PDF with every compressed stream inflated beside it: WeasyPrint keeps the catalogue
    and the metadata in compressed object streams."""
    parts = [pdf]
    for start in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", start.end())
        try:
            parts.append(zlib.decompressobj().decompress(pdf[start.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_published_pdf_is_tagged_for_accessibility_and_dated(
    rw: ReviewWorld, printed: list[Printing], django_capture_on_commit_callbacks: Any
) -> None:
    _ready(rw)
    with django_capture_on_commit_callbacks(execute=True):
        publication = _publish(rw)
    publication.refresh_from_db()
    with publication.pdf.open("rb") as f:
        stored = f.read()
    inside = _expanded(stored)
    # Tagged (PDF/UA-1): a structure tree, marked content, the language, and the PDF/UA
    # identification in its metadata.
    assert b"/StructTreeRoot" in inside
    assert b"/MarkInfo" in inside
    assert b"/Lang (en-GB)" in inside
    assert b"pdfuaid:part" in inside
    assert b"/Title (Joint area review of Gateshead)" in inside
    # Dated: the document says the day it was published, and carries it as its creation date.
    on = publication.published_on
    assert printed[-1].published_on == on
    assert f"/CreationDate (D:{on:%Y%m%d})".encode() in inside
    html = document.print_html(printed[-1].body, printed[-1].title, published_on=on)
    assert f'<p class="app-published">Published {on.day} {on:%B %Y}</p>' in html
    assert f'content: "Published {on.day} {on:%B %Y}"' in html  # at the foot of every page


def test_a_draft_pdf_says_no_publication_date() -> None:
    html = document.print_html("<h1>Gateshead</h1>", "Draft report")
    assert "Published" not in html
    assert "dcterms.created" not in html
