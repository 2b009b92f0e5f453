"""Before `ecm framework load`: pages, API and export work and show an empty catalogue.

This module must not use the `catalogue` fixture (it would be visible to every later test here).
"""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ecm_inspect.framework.models import FrameworkVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_loaded(db: None) -> None:
    assert not FrameworkVersion.objects.exists()


def test_index_says_the_framework_is_not_loaded(client: Client) -> None:
    response = client.get("/framework/")
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", "", response.content.decode())
    assert "The Framework is not loaded yet. Run ecm framework load." in text
    assert "Being healthy" not in text


@pytest.mark.parametrize(
    "url", ["/framework/principles/", "/framework/relevance/", "/framework/2004/"]
)
def test_pages_work(client: Client, url: str) -> None:
    assert client.get(url).status_code == 200


def test_outcome_page_is_404(client: Client) -> None:
    assert client.get("/framework/outcomes/SS/").status_code == 404
    assert client.get("/api/framework/outcomes/SS/").status_code == 404


def test_api_has_no_outcomes(client: Client) -> None:
    data = client.get("/api/framework/").json()
    assert data["outcomes"] == []
    assert len(data["grade_scale"]) == 4
    assert client.get("/api/framework/relevance/").json() == []


def test_export_is_empty() -> None:
    out = StringIO()
    call_command("framework", "export", stdout=out)
    data = json.loads(out.getvalue())
    assert data["versions"] == []
    assert data["relevance"] == []
    assert len(data["inspectorates"]) == 10
    with pytest.raises(CommandError, match="There is no Framework version '2005' loaded"):
        call_command("framework", "export", "--version", "2005", stdout=StringIO())
