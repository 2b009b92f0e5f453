"""Uploads of evidence: files behind an evidence item and files the area supplies to a request.
A refused upload is a form error (never a 500), changes nothing and leaves no file on disk; a
file is stored only once its row commits."""

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.evidence.models import (
    Attachment,
    EvidenceItem,
    EvidenceKind,
    EvidenceRequest,
    RequestStatus,
)
from ecm_inspect.evidence.services import evidence_record, request_make, request_supply
from ecm_inspect.reviews.models import Stage
from ecm_inspect.reviews.services import review_advance
from ecm_inspect.reviews.tests.conftest import ReviewWorld


def _media() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


@pytest.fixture
def item(rw: ReviewWorld) -> EvidenceItem:
    return evidence_record(
        review=rw.review, kind=EvidenceKind.PLAN, title="Children and young people's plan",
        source="Council", dated=date(2026, 6, 1),
    )  # fmt: skip


@pytest.fixture
def asked(rw: ReviewWorld) -> EvidenceRequest:
    review_advance(review=rw.review, to=Stage.NOTIFIED, confirmed=True)
    return request_make(
        review=rw.review, kind=EvidenceKind.PLAN, what="The children and young people's plan",
        due_on=date(2026, 8, 1),
    )  # fmt: skip


def _error_summary(response: Any) -> str:
    page = response.content.decode()
    assert "govuk-error-summary" in page, page[:3000]
    assert "Success" not in page
    return page[page.index("govuk-error-summary") :]


def test_an_attachment_is_stored_once_its_row_commits(
    rw: ReviewWorld, item: EvidenceItem, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    url = f"/reviews/{rw.review.pk}/evidence/{item.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("plan.pdf", b"the plan")})
    assert response.status_code == 302
    attachment = Attachment.objects.get(item=item)
    assert attachment.file.name == f"evidence/{attachment.sha256}"  # nothing the uploader typed
    download = client.get(f"{url}files/{attachment.pk}/")
    assert b"".join(download.streaming_content) == b"the plan"  # type: ignore[attr-defined]
    assert 'filename="plan.pdf"' in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("a" * 230 + ".pdf", 10, "The file name is 234 characters long: at most 200"),
        ("plan.pdf", 2048, "is 2 KB: the largest file accepted is 1 KB"),
    ],
)
def test_a_refused_attachment_is_a_form_error_and_leaves_nothing(
    rw: ReviewWorld,
    item: EvidenceItem,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    name: str,
    size: int,
    message: str,
) -> None:
    settings.ECM_UPLOAD_MAX_BYTES = 1024
    before = _media()
    client = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/reviews/{rw.review.pk}/evidence/{item.pk}/",
            {"file": SimpleUploadedFile(name, b"x" * size)},
        )
    assert response.status_code == 400
    assert message in _error_summary(response)
    assert not Attachment.objects.exists()
    assert _media() == before


@pytest.mark.parametrize(
    ("title", "name", "message"),
    [
        ("T" * 301, "plan.pdf", "at most 300 characters"),
        ("The plan", "p" * 240 + ".pdf", "The file name is 244 characters long: at most 200"),
    ],
)
def test_a_refused_supply_is_a_form_error_and_leaves_nothing(
    rw: ReviewWorld,
    asked: EvidenceRequest,
    django_capture_on_commit_callbacks: Any,
    title: str,
    name: str,
    message: str,
) -> None:
    before = _media()
    dcs = client_for(rw.people.users[Role.DCS])
    with django_capture_on_commit_callbacks(execute=True):
        response = dcs.post(
            f"/reviews/{rw.review.pk}/requests/{asked.pk}/supply/",
            {
                "title": title,
                "dated": "2026-07-01",
                "file": SimpleUploadedFile(name, b"the plan"),
            },
        )
    assert response.status_code == 400
    assert message in _error_summary(response)
    asked.refresh_from_db()
    assert asked.status == RequestStatus.REQUESTED
    assert not EvidenceItem.objects.filter(kind=EvidenceKind.PLAN).exists()
    assert _media() == before


def test_a_supply_that_rolls_back_leaves_no_file(
    rw: ReviewWorld, asked: EvidenceRequest, django_capture_on_commit_callbacks: Any
) -> None:
    before = _media()
    EvidenceRequest.objects.filter(pk=asked.pk).update(version=F("version") + 1)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(EditConflict):
        request_supply(
            request=asked, title="The plan", summary="", dated=date(2026, 7, 1),
            content=io.BytesIO(b"a confidential plan"), filename="plan.pdf",
        )  # fmt: skip
    assert not Attachment.objects.exists()
    assert _media() == before
