"""Recording a corporate assessment and a CPA category in a real browser: the refusal shows
each field's error with what was typed, the recorded one replaces the synthetic one, the area's
reviews and corporate assessments side by side; no axe violations, fits a phone."""

from datetime import date

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.framework.services import framework_load
from ecm_inspect.programme.models import CorporateAssessment, CpaCategory

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recording_corporate_assessments_and_cpa_categories(live_server, page):  # type: ignore[no-untyped-def]
    framework_load()
    people = world_build()
    area = people.own_area
    CorporateAssessment.objects.create(
        area=area, starts_on=date(2027, 6, 7), ends_on=date(2027, 6, 18), option=4,
        is_synthetic=True,
    )  # fmt: skip
    base = live_server.url
    _sign_in(page, base, people.users[Role.NATIONAL_LEAD].username, "/programme/")
    page.click("a:has-text('corporate assessments')")
    page.wait_for_url(f"{base}/programme/corporate-assessments/")
    assert "Synthetic" in page.content()
    page.fill("#id_area", area.gss_code)
    page.fill("#id_starts_on", "2027-03-12")
    page.fill("#id_ends_on", "2027-03-01")
    page.select_option("#id_option", "1")
    page.click("button:has-text('Record the corporate assessment')")
    assert "It ends on or after the day it starts." in page.content()
    assert page.input_value("#id_starts_on") == "2027-03-12"
    assert axe_violations(page) == []
    page.fill("#id_ends_on", "2027-03-23")
    page.click("button:has-text('Record the corporate assessment')")
    page.wait_for_selector("text=from 12 March 2027 recorded")
    recorded = CorporateAssessment.objects.get(area=area)
    assert not recorded.is_synthetic
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "corporate-assessments.png"), full_page=True)

    page.goto(f"{base}/programme/cpa-categories/")
    page.fill("#id_area", area.gss_code)
    page.fill("#id_year", "2026")
    page.fill("#id_stars", "3")
    page.select_option("#id_direction_of_travel", "improving_well")
    page.fill("#id_block_children_and_young_people", "3")
    page.click("button:has-text('Record the CPA category')")
    page.wait_for_selector("text=for 2026 recorded")
    assert CpaCategory.objects.get(area=area, year=2026).stars == 3
    assert axe_violations(page) == []

    page.goto(f"{base}/programme/areas/{area.gss_code}/")
    assert "Corporate assessment" in page.content()
    assert "improving well" in page.content()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "area-assessments-phone.png"), full_page=True)
    # The refusal's status (422) is the only thing the console reports.
    assert [e for e in page.js_errors if "status of 422" not in e] == []
