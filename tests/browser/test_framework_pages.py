"""The Framework pages in a real browser: GOV.UK look, JavaScript initialised, no axe violations.

A screenshot of /framework/ is written to var/screenshots/framework.png for people to look at.
"""

import pytest

from ecm_inspect.framework.services import framework_load

from .conftest import SCREENSHOTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/framework/",
    "/framework/outcomes/SS/",
    "/framework/principles/",
    "/framework/relevance/",
    "/framework/2004/",
    "/accessibility/",
]


@pytest.fixture
def framework(live_server):  # type: ignore[no-untyped-def]
    framework_load()
    return live_server


def test_framework_page_looks_like_a_govuk_service(framework, page):  # type: ignore[no-untyped-def]
    page.goto(f"{framework.url}/framework/")

    body_classes = page.evaluate("document.body.className").split()
    assert "govuk-frontend-supported" in body_classes
    assert "js-enabled" in body_classes
    # govuk-frontend's JavaScript ran: it marks each component it initialised.
    page.wait_for_selector(
        "[data-module=govuk-service-navigation][data-govuk-service-navigation-init]"
    )
    page.wait_for_selector("[data-module=govuk-skip-link][data-govuk-skip-link-init]")
    # Its CSS and fonts loaded from our own server, not a CDN.
    heading_font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert heading_font.startswith('"GDS Transport"')
    page.evaluate("document.fonts.ready")
    assert page.evaluate("""document.fonts.check('19px "GDS Transport"')""")
    header_colour = page.evaluate(
        "getComputedStyle(document.querySelector('.govuk-generic-header')).backgroundColor"
    )
    assert header_colour == "rgb(11, 12, 12)"
    assert page.locator("h1").inner_text() == "Framework for the inspection of children’s services"
    assert page.locator(".govuk-summary-card").count() == 5
    assert page.js_errors == []

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "framework.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000


def test_where_a_key_judgement_is_made_opens(framework, page):  # type: ignore[no-untyped-def]
    page.goto(f"{framework.url}/framework/outcomes/PC/")
    judgement = page.locator("#PC\\.4")
    assert "action is taken to reduce anti-social behaviour" in judgement.inner_text()
    where = judgement.locator(".govuk-details:not(.ecm-descriptors)")
    table = where.locator(".govuk-details__text")
    assert not table.is_visible()
    where.locator(".govuk-details__summary").click()
    assert table.is_visible()
    assert "Youth offending team" in table.inner_text()
    assert "Hospital" not in table.inner_text()


def test_what_separates_the_grades_opens(framework, page):  # type: ignore[no-untyped-def]
    page.goto(f"{framework.url}/framework/outcomes/PC/")
    descriptors = page.locator("#PC\\.4 .ecm-descriptors")
    text = descriptors.locator(".govuk-details__text")
    assert not text.is_visible()
    descriptors.locator(".govuk-details__summary").click()
    assert text.is_visible()
    words = text.inner_text()
    assert words.index("Outstanding (4)") < words.index("Inadequate (1)")
    assert "anti-social behaviour" in words
    assert "Written by ECM Inspect, not part of the 2005 Framework" in words


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_accessibility_violations(framework, page, path):  # type: ignore[no-untyped-def]
    page.goto(f"{framework.url}{path}")
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_pages_work_without_javascript(framework, browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{framework.url}/framework/outcomes/PC/")
    # Without JavaScript every key judgement and its relevance is on the page.
    assert page.locator(".ecm-key-judgement").count() == 7
    assert "Youth offending team" in page.content()
    context.close()
