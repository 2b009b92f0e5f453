"""The APA pages in a real browser: the year's grades with the spread chart, one area's
assessment, the letter and the self-assessment, with no axe violations or CSP errors."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.framework.services import framework_load
from ecm_inspect.performance.models import IndicatorDefinition, IndicatorValue
from ecm_inspect.performance.services import apa_run

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_server):  # type: ignore[no-untyped-def]
    framework_load()
    people = world_build()
    for n, group in enumerate(["BH", "SS", "EA", "PC", "EW", "SM"] * 2):
        d = IndicatorDefinition.objects.create(
            code=f"X{n}", title=f"Indicator {n}", outcome=group, polarity="higher"
        )
        for area, value in ((None, 50), (people.own_area, 60), (people.other_area, 40)):
            IndicatorValue.objects.create(
                indicator=d, area=area, year=2024, period="2024", value=value
            )
    apa_run(year=2024)
    return live_server, people


def test_apa_pages(world, page):  # type: ignore[no-untyped-def]
    base, people = world
    _sign_in(page, base, people.users[Role.NATIONAL_LEAD].username, "/apa/")
    assert page.locator("svg.ecm-chart").count() == 1
    assert axe_violations(page) == []
    page.click("a:has-text('Gateshead')")
    assert "Staying safe: proposed 4 (outstanding)" in page.content()
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "apa.png"), full_page=True)
    for path in ("/apa/2024/E08000037/letter/", "/apa/2024/E08000037/self-assessment/"):
        page.goto(f"{base}{path}")
        assert axe_violations(page) == [], path
    assert page.js_errors == []


def test_the_national_lead_proposes_the_year_for_every_area(world, page):  # type: ignore[no-untyped-def]
    """From the year's page: the button queues the run, its page follows it to the end (the
    tests' task backend runs it as the request commits), at desktop and phone width."""
    from ecm_inspect.performance.models import AssessmentRun

    base, people = world
    _sign_in(page, base, people.users[Role.NATIONAL_LEAD].username, "/apa/")
    page.click("button:has-text('Propose the 2024 judgements for every area')")
    page.wait_for_url("**/apa/runs/*/")
    run = AssessmentRun.objects.get()
    assert page.locator("h1").inner_text() == "Proposing the 2024 judgements for every area"
    assert page.locator(".govuk-summary-list").inner_text().count("Done") == 1
    assert "Judgements proposed for 2 areas" in page.content()
    assert page.locator("progress").get_attribute("value") == "100"
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "apa-run.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "apa-run-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})
    page.click("a:has-text('The 2024 assessments')")
    assert f"/apa/runs/{run.pk}/" in page.content()  # the run is listed on the year's page
    assert page.js_errors == []
