"""Each role's start page in a real browser: signed in as each role of the demo (in the start
pages' world), the page lists the work expected of them, its link opens, the navigation counts
it, axe finds nothing, and it fits a 375-pixel-wide screen. Screenshots at desktop and phone
width: var/screenshots/start-<role>.png and start-<role>-phone.png."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.web.tests.start_world import start_world_build

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1200, "height": 900}

# What each role's start page must list (the text of its link).
EXPECTED = {
    Role.INSPECTOR: "judgements of Staying safe",
    Role.REVIEW_TEAM_LEADER: "Sign off or return 1 judgement of Staying safe",
    Role.INSPECTORATE_LEAD: "The risk ranking of every area",
    Role.NATIONAL_LEAD: "Acknowledge 1 intervention alert",
    Role.DCS: "Write and submit the statement of proposed action for Gateshead",
    Role.PARTNER_CONTRIBUTOR: "Add your actions to the statement of proposed action for Gateshead",
}


@pytest.fixture
def sw(live_server):  # type: ignore[no-untyped-def]
    return live_server, start_world_build()


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_roles_start_page(sw, page, role: str) -> None:  # type: ignore[no-untyped-def]
    server, world = sw
    base = server.url
    _sign_in(page, base, world.people.users[role].username, "/reviews/")
    page.goto(f"{base}/")
    assert page.locator("h1").inner_text() == "Your work"
    nav = page.locator(".govuk-service-navigation__list").inner_text()
    assert "Your work (" in nav
    link = page.locator(".govuk-task-list__link", has_text=EXPECTED[role]).first
    assert link.is_visible()
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = f"start-{role.replace('_', '-')}"
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)

    # Every link on the page opens for this person.
    hrefs = page.eval_on_selector_all(
        ".govuk-task-list__link", "links => links.map(a => a.getAttribute('href'))"
    )
    target = page.locator(".govuk-task-list__link", has_text=EXPECTED[role]).first
    expected = target.get_attribute("href")
    for href in dict.fromkeys(hrefs):
        response = page.goto(f"{base}{href}")
        assert response is not None
        assert response.status == 200, href
    page.goto(f"{base}/")
    with page.expect_navigation():
        page.locator(".govuk-task-list__link", has_text=EXPECTED[role]).first.click()
    assert page.url == f"{base}{expected}"
    assert page.js_errors == []
