"""At phone width (375 px) the pages that used to run off the screen fit it: a published report
with its charts, an area's pooled provision, the registry's lists and the review page as the
director of children's services reads it (with the notification letter). Each is checked
with axe-core and photographed."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.reports.tests.test_reports import _publish, _ready

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in
from .test_provision_pages import world  # noqa: F401 (the provision fixture)
from .test_registry_pages import registry  # noqa: F401 (the registry fixture)
from .test_review_pages import rw  # noqa: F401 (the review fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def _fits_a_phone(page, shot: str) -> None:  # type: ignore[no-untyped-def]
    """No horizontal scroll at 375 px, no axe violation, and a screenshot to look at."""
    width = page.evaluate("document.documentElement.scrollWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / shot), full_page=True)
    assert width <= 375, f"{page.url} is {width} px wide"
    assert axe_violations(page) == [], page.url


def test_a_published_report_with_its_charts_fits_a_phone(rw, page):  # type: ignore[no-untyped-def]  # noqa: F811
    base, rworld = rw
    _ready(rworld)
    _publish(rworld)
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/reports/{rworld.review.pk}/")
    assert page.locator("svg.ecm-chart").count() >= 1
    # The charts give way to their data tables on a phone: the tables are shown, the charts not.
    assert page.locator("table.app-report__grades").is_visible()
    assert not page.locator("svg.ecm-chart").first.is_visible()
    _fits_a_phone(page, "phone-report.png")
    assert page.js_errors == []


def test_the_dcs_review_page_with_the_letter_fits_a_phone(rw, page):  # type: ignore[no-untyped-def]  # noqa: F811
    base, rworld = rw
    page.set_viewport_size(PHONE)
    _sign_in(page, base, rworld.people.users[Role.DCS].username, f"/reviews/{rworld.review.pk}/")
    assert page.locator(".app-letter").count() == 1
    _fits_a_phone(page, "phone-review-dcs.png")
    assert page.js_errors == []


def test_an_areas_provision_fits_a_phone(world, page):  # type: ignore[no-untyped-def]  # noqa: F811
    base, people, _draft = world
    page.set_viewport_size(PHONE)
    _sign_in(
        page,
        base,
        people.users[Role.INSPECTOR].username,
        "/provision/inspections/new/",
    )
    page.goto(f"{base}/provision/areas/{people.own_area.gss_code}/")
    assert page.locator("svg[role=img]").count() == 1
    _fits_a_phone(page, "phone-provision-area.png")
    assert page.js_errors == []


@pytest.mark.parametrize("path", ["/areas/", "/providers/"])
def test_the_registry_lists_fit_a_phone(registry, page, path):  # type: ignore[no-untyped-def]  # noqa: F811
    page.set_viewport_size(PHONE)
    assert page.goto(f"{registry.url}{path}").status == 200
    _fits_a_phone(page, f"phone{path.rstrip('/').replace('/', '-')}.png")
    assert page.js_errors == []
