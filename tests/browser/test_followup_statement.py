"""Following up a published review in a real browser: the DCS writes and submits the area's
statement of proposed action (late: it is flagged); the review's leader finds it inadequate
and sends it back with reasons; the DCS resubmits; the leader accepts it; an action past its
deadline is flagged overdue; the national lead sees it escalated and takes the intervention
case of the council's inadequate staying-safe finding from opened to referred, decided and
closed, each step confirmed. Desktop and phone width."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.followup.models import CaseStatus, InterventionCase, StatementOfAction
from ecm_inspect.followup.services import intervention_check
from ecm_inspect.reports.models import Publication, Recommendation, ReviewJudgement
from ecm_inspect.reviews.models import Review, Stage

from .conftest import SCREENSHOTS, axe_violations, second_page
from .test_account_pages import _sign_in
from .test_review_pages import rw  # noqa: F401 (the review fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def published(rw):  # type: ignore[no-untyped-def]  # noqa: F811
    """The review published 200 days ago, staying safe inadequate, two recommendations."""
    server, world = rw
    review = world.review
    Review.objects.filter(pk=review.pk).update(stage=Stage.FOLLOW_UP)
    on = timezone.localdate() - timedelta(days=200)
    Publication.objects.create(
        review=review, published_on=on, html="", children_html="", grades={"SS": 1}, reading_grade=3
    )
    ReviewJudgement.objects.create(
        review=review, level="outcome", code="SS", title="Staying safe", grade=1
    )
    for order, (text, body) in enumerate(
        (
            ("Review referral thresholds", "Gateshead council"),
            ("Shorten waits for mental health assessment", "The primary care trust"),
        )
    ):
        Recommendation.objects.create(
            review=review, text=text, body=body, priority="immediately", order=order
        )
    intervention_check(review=review)
    return server, world, on


def _write(page, rec: int, text: str, owner: str, service: str, deadline: str) -> None:  # type: ignore[no-untyped-def]
    page.select_option("#id_recommendation", index=rec)
    page.fill("#id_text", text)
    page.fill("#id_owner_body", owner)
    page.select_option("#id_service", service)
    page.fill("#id_deadline", deadline)
    page.click("button:has-text('Add the action')")
    page.wait_for_selector(".govuk-notification-banner, .govuk-error-summary")


def test_the_area_statement_from_draft_to_accepted_and_the_intervention_case(  # type: ignore[no-untyped-def]
    published, page, browser
):
    server, world, on = published
    base = server.url
    url = f"/reviews/{world.review.pk}/follow-up/"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    people = world.people.users

    # The DCS writes the area's statement: an action for each recommendation.
    _sign_in(page, base, people[Role.DCS].username, url)
    assert page.locator("#statement-overdue").is_visible()  # past its due date, still a draft
    deadline = (on + timedelta(days=30)).isoformat()
    _write(
        page,
        0,
        "Agree new thresholds with the LSCB",
        "Head of safeguarding",
        "council_social_care",
        deadline,
    )
    _write(page, 1, "Run extra clinics", "Primary care trust", "health", deadline)
    page.screenshot(path=str(SCREENSHOTS / "followup-written.png"), full_page=True)
    assert "Health services: monitored by" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    # Submitting without confirming is refused, as an error.
    page.click("button:has-text('Submit the statement')")
    assert page.locator(".govuk-error-summary").is_visible()
    assert "tick the box" in page.locator(".govuk-error-summary").inner_text()
    page.check("#confirm-submit")
    page.click("button:has-text('Submit the statement')")
    assert (
        "Submitted: awaiting the lead inspectorate"
        in page.locator("#statement-status").inner_text()
    )
    assert page.locator("#submitted-late").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "followup-submitted.png"), full_page=True)

    # The review's leader finds it inadequate and sends it back with reasons.
    leader = second_page(browser)
    _sign_in(leader, base, people[Role.REVIEW_TEAM_LEADER].username, url)
    leader.click("button:has-text('Record the decision')")  # nothing chosen: refused
    assert leader.locator(".govuk-error-summary").is_visible()
    leader.check("#adequate-no")
    leader.fill("#reasons", "No milestones for the thresholds work.")
    leader.click("button:has-text('Record the decision')")
    assert "Sent back to the area" in leader.locator("#statement-status").inner_text()
    assert axe_violations(leader) == []

    # The DCS reads why, resubmits; the leader accepts it.
    page.goto(f"{base}{url}")
    assert "No milestones" in page.locator("#decision-reasons").inner_text()
    page.check("#confirm-submit")
    page.click("button:has-text('Submit the statement')")
    assert "Submitted" in page.locator("#statement-status").inner_text()
    leader.goto(f"{base}{url}")
    leader.check("#adequate-yes")
    leader.fill("#reasons", "Owned, dated actions for each recommendation.")
    leader.click("button:has-text('Record the decision')")
    assert "Accepted as adequate" in leader.locator("#statement-status").inner_text()
    trail = leader.locator("#statement-trail").inner_text()
    assert trail.count("Submitted") == 2
    assert "Sent back" in trail
    # Its actions are now monitored, and past their deadline: flagged overdue.
    assert leader.locator(".govuk-tag:has-text('Overdue by')").count() == 2
    statement = StatementOfAction.objects.get(review=world.review)
    assert statement.submissions == 2

    # The national lead sees the overdue actions and moves the intervention case on.
    national = second_page(browser)
    _sign_in(national, base, people[Role.NATIONAL_LEAD].username, "/follow-up/")
    assert "Agree new thresholds" in national.locator("#overdue-actions").inner_text()
    national.click(f"#cases a:has-text('{world.review.area.name}')")
    assert "Staying safe: inadequate" in national.locator("#case-summary").inner_text()
    national.fill("#step-text", "Safeguarding found inadequate; referred for a decision.")
    national.click("button:has-text('Refer the case')")  # not confirmed: refused
    assert national.locator(".govuk-error-summary").is_visible()
    assert national.locator("#step-text").input_value().startswith("Safeguarding")  # kept
    national.check("#confirm-step")
    national.click("button:has-text('Refer the case')")
    assert national.locator("#case-status").inner_text() == "Referred to the Department"
    national.fill("#step-text", "Improvement notice issued.")
    national.check("#confirm-step")
    national.click("button:has-text('Record the decision')")
    assert national.locator("#case-status").inner_text() == "The Department has decided"
    national.set_viewport_size(PHONE)
    national.fill("#step-text", "Notice lifted after re-inspection.")
    national.check("#confirm-step")
    national.click("button:has-text('Close the case')")
    assert national.locator("#case-status").inner_text() == "Closed"
    assert axe_violations(national) == []
    national.screenshot(path=str(SCREENSHOTS / "followup-case-phone.png"), full_page=True)
    assert InterventionCase.objects.get(review=world.review).status == CaseStatus.CLOSED
    page.set_viewport_size(PHONE)
    page.goto(f"{base}{url}")
    page.screenshot(path=str(SCREENSHOTS / "followup-statement-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for p in (page, leader, national):  # refusals answer 422, which the console reports
        assert [e for e in p.js_errors if "status of 422" not in e] == []
