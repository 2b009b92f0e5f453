"""Trusting the review's steps in a real browser: "findings agreed" before fieldwork ends is
refused with its reason as an error; publishing goes through its confirmation page, which
shows what will become public and where; the report is public only after confirming."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.reports.models import Publication, Recommendation
from ecm_inspect.reports.tests.test_reports import _ready
from ecm_inspect.reviews.models import Milestone, MilestoneKind, NoMoreComments, Review, Stage
from ecm_inspect.reviews.services import review_create
from ecm_inspect.reviews.tests.test_workflow import _walk_to

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in
from .test_review_pages import rw  # noqa: F401 (the review fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def test_findings_agreed_before_fieldwork_ends_is_refused(rw, page):  # type: ignore[no-untyped-def]  # noqa: F811
    base, rw = rw
    # In fieldwork today: analysis began three weeks before this week's Monday.
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    review = review_create(
        area=rw.people.other_area,
        analysis_starts_on=monday - timedelta(weeks=3),
        dcs_name="Sam Director",
        dcs_email="dcs@sunderland.example",
    )
    review = _walk_to(rw, review, Stage.FIELDWORK, dated=True)
    end = review.milestones.get(kind="fieldwork_end").planned
    if end <= today:
        pytest.skip("fieldwork of this timetable has already ended today")
    _sign_in(page, base, rw.people.users[Role.REVIEW_TEAM_LEADER].username, "/reviews/")
    page.goto(f"{base}/reviews/{review.pk}/")
    page.click("button:has-text('Record that the findings are agreed')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert f"Fieldwork is planned to end on {end:%-d %B %Y}" in summary
    assert "headline feedback" in summary
    assert page.locator(".govuk-notification-banner--success").count() == 0
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "review-findings-too-early.png"), full_page=True)
    assert Review.objects.get(pk=review.pk).stage == Stage.FIELDWORK


def test_publication_only_after_confirming(rw, page):  # type: ignore[no-untyped-def]  # noqa: F811
    base, rw = rw
    _ready(rw)
    review = rw.review
    Recommendation.objects.create(
        review=review, text="act on referrals", body="The council", priority="immediately"
    )
    Review.objects.filter(pk=review.pk).update(stage=Stage.FINDINGS_MEETING_HELD)
    # Comments are planned to close next week, whatever today is.
    Milestone.objects.filter(review=review, kind=MilestoneKind.COMMENTS_CLOSE).update(
        planned=timezone.localdate() + timedelta(days=7)
    )
    _sign_in(page, base, rw.people.users[Role.REVIEW_TEAM_LEADER].username, "/reviews/")
    # Refused while the comment period runs: the reason as an error, no confirm button.
    page.goto(f"{base}/reviews/{review.pk}/report/")
    page.click("a:has-text('Publish the report')")
    assert "Accuracy comments are open until" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("button:has-text('Confirm')").count() == 0
    NoMoreComments.objects.create(review=review, said_by=rw.people.users[Role.DCS])
    page.reload()
    assert page.locator(".govuk-error-summary").count() == 0
    happens = page.locator("#what-happens").inner_text()
    for where in (
        f"/reports/{review.pk}/",
        f"/reports/{review.pk}/children/",
        f"/reports/{review.pk}/report.pdf",
        "/reports/open-data/grades.csv",
        "annual performance assessment",
    ):
        assert where in happens, where
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "review-publish-confirm.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / "review-publish-confirm-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    # Nothing is public before confirming.
    assert not Publication.objects.filter(review=review).exists()
    public = page.context.new_page()
    assert public.goto(f"{base}/reports/{review.pk}/").status == 404
    page.click("button:has-text('Confirm: publish the report')")
    banner = page.locator(".govuk-notification-banner--success").inner_text()
    assert "The review is now in published" in banner
    assert Publication.objects.get(review=review).published_on == timezone.localdate()
    assert public.goto(f"{base}/reports/{review.pk}/").status == 200
    assert page.js_errors == []
