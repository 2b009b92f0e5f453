"""The risk of each area in a real browser, as the national lead: the fitted model's weights
drawn and tabled, each area by name with its parts in words, and an area's earlier inspections
one click away; at desktop and phone width, with no axe violations."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.framework.services import framework_load
from ecm_inspect.programme.tests.test_risk_model import modelled_areas

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_server):  # type: ignore[no-untyped-def]
    framework_load()
    people = world_build()
    modelled_areas()
    return live_server, people


def test_the_national_lead_reads_the_risk_and_why(world, page):  # type: ignore[no-untyped-def]
    base, people = world
    _sign_in(page, base, people.users[Role.NATIONAL_LEAD].username, "/programme/risk/2019/")
    assert "fitted on 30 earlier inspections of areas published by the end of 2019" in (
        " ".join(page.locator("main").inner_text().split())
    )
    chart = page.locator("svg.ecm-chart")
    assert chart.count() == 1
    assert "The risk model's weights" in (chart.locator("title").first.text_content() or "")
    text = page.locator("main").inner_text()
    assert "previous_age" not in text
    assert "since_review" not in text
    assert page.locator("th:has-text('Children in relative low income per 100 children')").count()
    assert axe_violations(page) == []
    first = page.locator("tbody tr").filter(has=page.locator("details")).first
    assert first.locator("th a").inner_text().startswith("Modelled area")
    first.locator("summary").click()
    assert "Previous inspection" in first.inner_text()
    assert "An average area" in first.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "programme-risk.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "programme-risk-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})
    first.locator("th a").click()
    page.wait_for_url("**/programme/areas/*/")
    assert "Earlier inspections of children's services" in page.content()
    assert "published 1 June 2019" in page.content()
    assert axe_violations(page) == []
    assert page.js_errors == []
