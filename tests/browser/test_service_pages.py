"""The service's own pages in a real browser, at desktop and phone width: the page for an
address that does not exist, the privacy notice and cookies page reached from the footer, and
signing out from the header. Each page has no axe violations and no sideways scrolling."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.framework.services import framework_load

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1200, "phone": 375}


@pytest.fixture
def world(live_server):  # type: ignore[no-untyped-def]
    framework_load()
    return live_server.url, world_build()


def _check(page, width: int, name: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert axe_violations(page) == [], name
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"service-{name}.png"), full_page=True)


@pytest.mark.parametrize("size", WIDTHS)
def test_the_service_pages_at_each_width(world, browser, size):  # type: ignore[no-untyped-def]
    base, w = world
    width = WIDTHS[size]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        response = page.goto(f"{base}/no-such-page/")
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Page not found"
        assert "Traceback" not in page.content()
        _check(page, width, f"404-{size}")
        assert page.locator(".govuk-phase-banner .govuk-tag").inner_text() == "Beta"

        page.locator("footer").get_by_role("link", name="Privacy notice").click()
        page.wait_for_url(f"{base}/privacy/")
        assert page.locator("h1").inner_text() == "Privacy notice"
        _check(page, width, f"privacy-{size}")

        page.locator("footer").get_by_role("link", name="Cookies").click()
        page.wait_for_url(f"{base}/cookies/")
        assert page.locator("h1").inner_text() == "Cookies"
        assert "sessionid" in page.locator("table").inner_text()
        _check(page, width, f"cookies-{size}")

        _sign_in(page, base, w.users[Role.INSPECTOR].username, "/account/")
        sign_out = page.locator("header").get_by_role("button", name="Sign out")
        if not sign_out.is_visible():  # on a phone the navigation folds behind "Menu"
            page.locator("header").get_by_role("button", name="Menu").click()
        assert sign_out.is_visible()
        _check(page, width, f"signed-in-{size}")
        sign_out.click()
        page.wait_for_url(f"{base}/")
        assert "You have signed out." in page.locator(".govuk-notification-banner").inner_text()
        assert page.locator("header").get_by_role("button", name="Sign out").count() == 0
        _check(page, width, f"signed-out-{size}")
        page.goto(f"{base}/account/")
        assert page.url.startswith(f"{base}/sign-in/")  # signed out indeed
        assert errors == []
    finally:
        context.close()
