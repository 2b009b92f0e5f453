"""A joint area review's pages in a real browser: the dashboard with its timetable chart, the
stage page and the team page, each with no axe violations and nothing blocked by the CSP."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.framework.services import framework_load
from ecm_inspect.reviews.models import Stage
from ecm_inspect.reviews.services import national_themes_ensure, review_advance
from ecm_inspect.reviews.tests.conftest import ReviewWorld, inspector_make, review_make, team_set

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rw(live_server):  # type: ignore[no-untyped-def]
    framework_load()
    people = world_build()
    national_themes_ensure()
    pool = [
        inspector_make("Lena Leader", "OFSTED", people.users[Role.REVIEW_TEAM_LEADER]),
        inspector_make("Team Inspector", "OFSTED", people.users[Role.INSPECTOR]),
        *[inspector_make(f"Ofsted Inspector {n}", "OFSTED") for n in range(1, 5)],
        *[inspector_make(f"CSCI Inspector {n}", "CSCI") for n in range(1, 6)],
    ]
    world = ReviewWorld(people, pool, review_make(people))
    team_set(world)
    review_advance(review=world.review, to=Stage.NOTIFIED, confirmed=True)
    return live_server, world


def test_review_pages(rw, page):  # type: ignore[no-untyped-def]
    base, world = rw
    review = world.review
    _sign_in(page, base, world.people.users[Role.REVIEW_TEAM_LEADER].username, "/reviews/")
    assert axe_violations(page) == []
    page.click("a:has-text('Gateshead')")
    assert page.locator("svg.ecm-chart rect").count() >= 8  # planned bars
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "review.png"), full_page=True)
    page.goto(f"{base}/reviews/{review.pk}/stages/notified/")
    assert axe_violations(page) == []
    page.fill("#id_held_on", "2026-08-17")
    page.fill("#id_attendees", "Dana Director")
    page.fill("#id_basis_for_planning", "APA")
    page.fill("#id_fieldwork_issues", "Safeguarding")
    page.check("#id_timetable_confirmed")
    page.click("button:has-text('Save')")
    page.goto(f"{base}/reviews/{review.pk}/")
    page.click("button:has-text('Record that the review is set up')")
    assert "The review is now in set up" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(f"{base}/reviews/{review.pk}/team/")
    assert axe_violations(page) == []
    assert page.js_errors == []
