"""Signing in through both factors in a real browser, and the staff pages it opens: each with
no axe violations and nothing blocked by the Content-Security-Policy."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import BACKUP_CODE, PASSWORD, world_build
from ecm_inspect.framework.services import framework_load

from .conftest import SCREENSHOTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_server):  # type: ignore[no-untyped-def]
    framework_load()
    return live_server, world_build()


def _sign_in(page, base: str, username: str, then: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}{then}")
    assert page.url.startswith(f"{base}/sign-in/")  # staff page: sign in first
    assert axe_violations(page) == []
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Continue')")
    page.wait_for_url("**/sign-in/two-factor/**")
    assert axe_violations(page) == []
    page.fill("#id_code", BACKUP_CODE)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}{then}")


def test_an_inspectorate_lead_signs_in_and_edits_an_inspector(world, page):  # type: ignore[no-untyped-def]
    base, w = world
    _sign_in(page, base, w.users[Role.INSPECTORATE_LEAD].username, "/inspectors/")
    assert page.locator("h1").inner_text() == "Inspectors"
    assert axe_violations(page) == []
    # Only their own body's inspector can be changed.
    assert page.locator("a:has-text('Change')").count() == 1
    page.click("a:has-text('Change')")
    assert axe_violations(page) == []
    page.fill("#id_days_per_week", "3")
    page.get_by_label("Being healthy").check()
    page.click("button:has-text('Save')")
    page.wait_for_url(f"{base}/inspectors/")
    assert "Saved Olive Own" in page.locator(".govuk-notification-banner").inner_text()

    page.goto(f"{base}/audit/")
    assert axe_violations(page) == []
    changes = page.locator("tbody").inner_text()
    assert "Days per week: 5 → 3" in changes  # the field by its name
    assert "Outcome expertise: (none) → Being healthy" in changes
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "audit.png"), full_page=True)
    assert page.js_errors == []  # nothing blocked by the Content-Security-Policy


def test_two_people_editing_one_inspector(world, browser):  # type: ignore[no-untyped-def]
    base, w = world
    pages = []
    for role in (Role.INSPECTORATE_LEAD, Role.NATIONAL_LEAD):
        page = browser.new_context().new_page()
        _sign_in(page, base, w.users[role].username, f"/inspectors/{w.own_inspector.pk}/edit/")
        pages.append(page)
    lead, boss = pages
    boss.fill("#id_full_name", "Olive Ownes")
    boss.click("button:has-text('Save')")
    boss.wait_for_url(f"{base}/inspectors/")
    lead.fill("#id_days_per_week", "2")
    lead.click("button:has-text('Save')")
    summary = lead.locator(".govuk-error-summary").inner_text()
    assert "Someone else changed this inspector while you were editing" in summary
    assert "Olive Ownes" in summary
    assert lead.input_value("#id_days_per_week") == "2"  # their input is kept
    assert axe_violations(lead) == []


def test_sign_in_pages_show_the_demo_accounts_only_in_the_demo(world, page):  # type: ignore[no-untyped-def]
    base, _ = world
    page.goto(f"{base}/sign-in/")
    assert page.locator("caption", has_text="Demo accounts").count() == 1
    assert axe_violations(page) == []
    assert page.js_errors == []
