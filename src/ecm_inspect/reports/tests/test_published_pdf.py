"""The published report's PDF is printed once, when the report is published (and again when a
judgement is corrected), kept in storage and served from there: never printed per request."""

from collections.abc import Callable
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


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[Printing]:
    """Every PDF printed, in order (the real printer still prints)."""
    printings: list[Printing] = []
    real: Callable[[str, str], bytes] = document.render_pdf

    def counting(body: str, title: str) -> bytes:
        printings.append(Printing(title, body))
        return real(body, title)

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
