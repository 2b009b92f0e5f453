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
from ecm_inspect.performance.models import CouncilDocument, SelfAssessment

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


def test_a_document_is_read_by_who_may_read_the_self_assessment_and_no_one_else(
    people: World, django_capture_on_commit_callbacks: Any
) -> None:
    dcs = client_for(people.users[Role.DCS])
    with django_capture_on_commit_callbacks(execute=True):
        dcs.post(
            URL,
            {
                "kind": "user_views",
                "title": "Analysis of user views",
                "document": SimpleUploadedFile("views.pdf", b"what children told us"),
            },
        )
    document = CouncilDocument.objects.get()
    url = f"{URL}documents/{document.pk}/"
    assert url in dcs.get(URL).content.decode()
    for role in (Role.DCS, Role.INSPECTOR, Role.NATIONAL_LEAD):
        answer = client_for(people.users[role]).get(url)
        assert answer.status_code == 200, role
        assert b"".join(answer.streaming_content) == b"what children told us"  # type: ignore[attr-defined]
        assert 'filename="analysis-of-user-views"' in answer["Content-Disposition"]
        assert answer["X-Content-SHA256"] == document.sha256
    assert client_for(people.users[Role.DCS], verified=False).get(url).status_code != 200
    # A council's documents are not another council's to read, nor found under another year.
    assert dcs.get(url.replace("/2024/", "/2023/")).status_code == 404
    SelfAssessment.objects.filter(pk=document.self_assessment_id).update(area=people.other_area)
    assert dcs.get(url).status_code == 404
    other = url.replace("E08000037", people.other_area.gss_code)
    refused = dcs.get(other)
    assert refused.status_code == 403
    assert b"what children told us" not in refused.content
    assert client_for(people.users[Role.INSPECTOR]).get(other).status_code == 200
