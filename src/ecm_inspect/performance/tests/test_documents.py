"""The council's documents attached to its self-assessment: a refused upload is a form error
(never a 500 or a success banner), changes nothing and leaves no file on disk; a file is stored
only once its row commits."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import World, client_for, world_build
from ecm_inspect.performance.models import CouncilDocument

URL = "/apa/2024/E08000037/self-assessment/"


def _media() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


@pytest.fixture
def people(db: None) -> World:
    return world_build()


def test_a_document_is_stored_once_its_row_commits(
    people: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(people.users[Role.DCS])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                "kind": "plan",
                "title": "Children and young people's plan",
                "document": SimpleUploadedFile("plan.pdf", b"our plan"),
            },
        )
    assert response.status_code == 302
    document = CouncilDocument.objects.get()
    assert document.file.name == f"council-documents/{document.sha256}"
    assert document.file.read() == b"our plan"


@pytest.mark.parametrize(
    ("kind", "title", "name", "size", "message"),
    [
        ("plan", "T" * 301, "plan.pdf", 10, "at most 300 characters"),
        ("plan", "", "p" * 240 + ".pdf", 10, "The file name is 244 characters long: at most 200"),
        ("plan", "The plan", "plan.pdf", 2048, "the largest file accepted is 1 KB"),
        ("novel", "The plan", "plan.pdf", 10, "Select a valid choice"),
    ],
)
def test_a_refused_document_is_a_form_error_and_leaves_nothing(
    people: World,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    kind: str,
    title: str,
    name: str,
    size: int,
    message: str,
) -> None:
    settings.ECM_UPLOAD_MAX_BYTES = 1024
    before = _media()
    client = client_for(people.users[Role.DCS])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {"kind": kind, "title": title, "document": SimpleUploadedFile(name, b"x" * size)},
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page[page.index("govuk-error-summary") :]
    assert "Success" not in page
    assert not CouncilDocument.objects.exists()
    assert _media() == before
