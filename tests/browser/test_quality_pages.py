"""The public quality pages in a real browser: the complaint form and a child's questionnaire,
answered without an account, with no axe violations or CSP errors."""

import pytest

from ecm_inspect.quality.services import questionnaire_send
from ecm_inspect.registry.models import Inspectorate
from ecm_inspect.registry.services import inspectorates_load

from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_complaint_and_questionnaire(live_server, page):  # type: ignore[no-untyped-def]
    inspectorates_load()
    page.goto(f"{live_server.url}/complaints/new/")
    assert axe_violations(page) == []
    page.fill("#id_name", "A parent")
    page.select_option("#id_inspectorate", "OFSTED")
    page.fill("#id_about", "The review of our area")
    page.fill("#id_description", "Nobody asked our children.")
    page.click("button:has-text('Send the complaint')")
    assert "Complaint received" in page.locator("h1").inner_text()
    assert axe_violations(page) == []
    child = questionnaire_send(
        inspectorate=Inspectorate.objects.get(code="OFSTED"),
        inspection_label="A review",
        respondent="child",
        stage="process",
    )
    page.goto(f"{live_server.url}/questionnaires/{child.token}/")
    assert axe_violations(page) == []
    for key in ("arrangements", "burden", "childrens_views", "conduct", "report"):
        page.check(f"#{key}-4")
    page.click("button:has-text('Send')")
    assert "We got your answers" in page.content()
    assert page.js_errors == []
