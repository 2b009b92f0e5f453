"""Revising the Framework in a real browser: the national lead sees the versions, a draft's
changes against the version in force, and publishes it with a date; no axe violations."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.framework.models import FrameworkVersion
from ecm_inspect.framework.services import framework_load
from ecm_inspect.framework.tests.test_revision import _relevance_for, _revised

from .conftest import axe_violations
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_national_lead_publishes_a_revision(live_server, page, tmp_path):  # type: ignore[no-untyped-def]
    framework_load()
    people = world_build()
    framework_load(paths=[_revised(tmp_path), _relevance_for(tmp_path, "2007")], draft=True)
    base = live_server.url
    _sign_in(page, base, people.users[Role.NATIONAL_LEAD].username, "/national/framework/")
    assert "Draft" in page.locator("tbody").inner_text()
    assert axe_violations(page) == []
    page.click("a:has-text('2007')")
    assert "SS.4" in page.locator("table").inner_text()
    assert axe_violations(page) == []
    page.fill("#effective_from", "1 April")
    page.click("button:has-text('Publish')")
    assert "Enter the date it takes effect" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    page.fill("#effective_from", "2027-04-01")
    page.click("button:has-text('Publish')")
    assert "Published version 2007" in page.locator(".govuk-notification-banner").inner_text()
    assert FrameworkVersion.objects.get(code="2007").status == "published"
    assert [e for e in page.js_errors if "422" not in e] == []  # the refused date: 422
