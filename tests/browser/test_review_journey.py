"""A joint area review from fieldwork to publication, through the web pages only, as the team
works it: two team members draft the key judgements of the outcomes they lead, the team leader
moderates and signs them off, records the headline feedback, agrees the findings, sends the
draft through its confirmation page; the DCS comments and says they have no more; the leader
answers, closes comments, records the findings meeting and publishes, only after the
confirmation page. An early "findings agreed" and an early publication are refused with their
reasons shown as errors, never as success.

The review's other judgements are recorded and signed off before the walk (their pages are
tested in test_judgement_pages); everything the walk does, it does through the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.services import organisation_for, user_create
from ecm_inspect.accounts.tests.world import BACKUP_CODE, PASSWORD
from ecm_inspect.evidence.services import evidence_record
from ecm_inspect.reports.models import Publication, ReviewJudgement
from ecm_inspect.reports.services import outcome_lead_set
from ecm_inspect.reports.tests.test_reports import _ready
from ecm_inspect.reviews.models import Milestone, MilestoneKind, Review, Stage
from ecm_inspect.reviews.services import review_team_set
from ecm_inspect.reviews.tests.conftest import inspector_make
from ecm_inspect.reviews.tests.test_workflow import _walk_to

from .conftest import SCREENSHOTS
from .test_account_pages import _sign_in
from .test_judgement_pages import _axe, _fits
from .test_review_pages import rw  # noqa: F401 (the review fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _second_inspector():  # type: ignore[no-untyped-def]
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    user = user_create(
        username="test-health-inspector",
        role=Role.INSPECTOR,
        organisation=organisation_for("inspectorate:HEALTHCARE_COMMISSION"),
        password=PASSWORD,
        full_name="Hana Health",
    )
    device = StaticDevice.objects.create(user=user, name="Backup codes")
    StaticToken.objects.create(device=device, token=BACKUP_CODE)
    return user, inspector_make("Hana Health", "HEALTHCARE_COMMISSION", user)


def _unrecord(review: Review, code: str) -> None:
    ReviewJudgement.objects.filter(review=review, code=code).update(
        grade=None, finding="", rationale="", signed_off_at=None, signed_off_by=None,
        signed_off_fingerprint="", recorded_by=None, recorded_at=None,
    )  # fmt: skip
    ReviewJudgement.objects.get(review=review, code=code).evidence.clear()


def _errors(page) -> str:  # type: ignore[no-untyped-def]
    assert page.locator(".govuk-notification-banner--success").count() == 0
    return page.locator(".govuk-error-summary").inner_text()


def _success(page) -> str:  # type: ignore[no-untyped-def]
    assert page.locator(".govuk-error-summary").count() == 0
    return page.locator(".govuk-notification-banner--success").inner_text()


def _draft(page, code: str, grade: str, finding: str, evidence: str) -> None:  # type: ignore[no-untyped-def]
    card = page.locator(f'[id="j-{code}"]')
    card.get_by_label(grade, exact=True).check()
    card.get_by_label("Finding").fill(finding)
    card.get_by_label("Rationale").fill("What the team saw in fieldwork.")
    card.get_by_label(evidence).check()
    card.get_by_role("button", name="Save draft").click()
    assert f"{code} saved as a draft." in page.content()


def test_a_review_from_fieldwork_to_publication(rw, page, browser):  # type: ignore[no-untyped-def]  # noqa: F811, PLR0915
    base, world = rw
    users = world.people.users
    health_user, health = _second_inspector()
    world.review.refresh_from_db()  # the fixture has notified the DCS
    review = _walk_to(world, world.review, Stage.FIELDWORK)  # each move dated today
    _ready(world)  # every judgement recorded and signed off ...
    for code in ("SS.1", "BH.1"):  # ... but the two the members will draft
        _unrecord(review, code)
    for code, title in (("SS.1", "Visit to the front door team"), ("BH.1", "Health visitors")):
        evidence_record(
            review=review, kind="focus_group_staff", title=title, source="Team",
            dated=review.analysis_starts_on + timedelta(days=25), key_judgement_codes=[code],
            grade=3,
        )  # fmt: skip
    # The team: the leader, the team inspector, two CSCI inspectors and Hana.
    review_team_set(
        review=review,
        leader=world.pool[0],
        members=[world.pool[1], world.pool[6], world.pool[7], health],
    )
    for outcome, inspector in (("SS", world.pool[1]), ("BH", health)):
        outcome_lead_set(
            review=review, outcome_code=outcome, member=review.team.get(inspector=inspector),
            by=None,
        )  # fmt: skip
    # The clock: fieldwork still has days to run.
    fieldwork_end = Milestone.objects.get(review=review, kind=MilestoneKind.FIELDWORK_END)
    ended_on = fieldwork_end.planned
    today = timezone.localdate()
    fieldwork_end.planned = today + timedelta(days=3)
    fieldwork_end.save()

    # The team leader tries to agree the findings early: refused, every reason an error.
    leader = page
    _sign_in(leader, base, users[Role.REVIEW_TEAM_LEADER].username, f"/reviews/{review.pk}/")
    leader.click("button:has-text('Record that the findings are agreed')")
    errors = _errors(leader)
    assert f"Fieldwork is planned to end on {today + timedelta(days=3):%-d %B %Y}" in errors
    assert "headline feedback" in errors
    assert "SS.1" in errors
    assert "BH.1" in errors
    assert Review.objects.get(pk=review.pk).stage == Stage.FIELDWORK

    # Two members draft the key judgements of the outcomes they lead.
    for user, outcome, code, evidence in (
        (users[Role.INSPECTOR], "SS", "SS.1", "Visit to the front door team"),
        (health_user, "BH", "BH.1", "Health visitors"),
    ):
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        member = context.new_page()
        url = f"/reviews/{review.pk}/judgements/{outcome}/"
        _sign_in(member, base, user.username, url)
        _draft(member, code, "Good", f"{code}: most children are well served.", evidence)
        assert _axe(member) == []
        _fits(member)
        context.close()

    # The leader moderates: both drafts signed off, outcome by outcome.
    for outcome in ("SS", "BH"):
        leader.goto(f"{base}/reviews/{review.pk}/judgements/{outcome}/")
        leader.get_by_role("button", name="Sign off 1 drafted judgement").click()
        assert "1 judgement signed off." in _success(leader)
    for code in ("SS.1", "BH.1"):
        judgement = ReviewJudgement.objects.get(review=review, code=code)
        assert judgement.recorded_by in (users[Role.INSPECTOR], health_user)
        assert judgement.signed_off_by == users[Role.REVIEW_TEAM_LEADER]

    # The headline feedback to the DCS, at the end of fieldwork.
    fieldwork_end.planned = ended_on  # the clock moves on: fieldwork is over
    fieldwork_end.save()
    leader.goto(f"{base}/reviews/{review.pk}/stages/fieldwork/")
    leader.fill("#id_given_on", f"{ended_on:%Y-%m-%d}")
    leader.fill("#id_given_to", "Dana Director")
    leader.fill("#id_findings", "Children are safe; health services reach most families.")
    leader.click("button:has-text('Save')")
    _success(leader)
    leader.goto(f"{base}/reviews/{review.pk}/")
    leader.click("button:has-text('Record that the findings are agreed')")
    assert "findings agreed" in _success(leader).lower()

    # The draft: made from the judgements, sent only through its confirmation page.
    leader.goto(f"{base}/reviews/{review.pk}/report/")
    leader.click("button:has-text('Make a new draft from the judgements')")
    leader.goto(f"{base}/reviews/{review.pk}/")
    leader.click("a:has-text('Send the draft report for accuracy comments')")
    assert "dcs@gateshead.example" in leader.locator("main").inner_text()
    assert Review.objects.get(pk=review.pk).stage == Stage.FINDINGS_AGREED
    leader.click("button:has-text('Confirm')")
    assert "draft sent" in _success(leader).lower()

    # The DCS comments on a paragraph and says they have no more comments.
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    dcs = context.new_page()
    _sign_in(dcs, base, users[Role.DCS].username, f"/reviews/{review.pk}/report/")
    dcs.fill("#text", "The population figure was updated by the ONS.")
    dcs.click("button:has-text('Send the comment')")
    _success(dcs)
    dcs.click("button:has-text('We have no more comments')")
    _success(dcs)
    _fits(dcs)
    context.close()

    # Closing comments is refused while the comment is unanswered; answered, it goes through.
    leader.goto(f"{base}/reviews/{review.pk}/")
    leader.click("a:has-text('Close accuracy comments')")
    assert "not answered" in _errors(leader)
    assert leader.locator("button:has-text('Confirm')").count() == 0
    leader.goto(f"{base}/reviews/{review.pk}/report/")
    leader.locator("input[name=reason]").first.fill("Checked against the ONS estimate.")
    leader.locator("button[value=accept]").first.click()
    _success(leader)
    leader.goto(f"{base}/reviews/{review.pk}/confirm/comments_closed/")
    leader.click("button:has-text('Confirm')")
    assert "comments closed" in _success(leader).lower()

    # The findings meeting, on its own form.
    leader.goto(f"{base}/reviews/{review.pk}/stages/comments_closed/")
    leader.fill("#id_held_on", f"{today:%Y-%m-%d}")
    leader.fill("#id_attendees", "Chief executive\nLeader of the council")
    leader.fill("#id_changes_agreed", "None: the findings stand.")
    leader.click("button:has-text('Save')")
    _success(leader)
    leader.goto(f"{base}/reviews/{review.pk}/")
    leader.click("button:has-text('Record the findings meeting')")
    _success(leader)

    # An early publication: refused (no recommendation yet), the reason an error, no button.
    leader.goto(f"{base}/reviews/{review.pk}/report/")
    leader.click("a:has-text('Publish the report')")
    assert "recommendation" in _errors(leader)
    assert leader.locator("button:has-text('Confirm')").count() == 0
    assert not Publication.objects.filter(review=review).exists()
    assert leader.context.new_page().goto(f"{base}/reports/{review.pk}/").status == 404
    leader.goto(f"{base}/reviews/{review.pk}/judgements/gaps/")
    leader.fill("#rec-body", "Gateshead council")
    leader.fill("#rec-text", "review the thresholds for referral")
    leader.click("button:has-text('Add the recommendation')")
    _success(leader)

    # Publication, only after its confirmation page.
    leader.goto(f"{base}/reviews/{review.pk}/confirm/published/")
    assert leader.locator(".govuk-error-summary").count() == 0
    assert f"/reports/{review.pk}/" in leader.locator("#what-happens").inner_text()
    assert not Publication.objects.filter(review=review).exists()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    leader.screenshot(path=str(SCREENSHOTS / "journey-publish-confirm.png"), full_page=True)
    _fits(leader)
    leader.click("button:has-text('Confirm: publish the report')")
    assert "published" in _success(leader).lower()
    assert Publication.objects.get(review=review).published_on == today
    public = leader.context.new_page()
    assert public.goto(f"{base}/reports/{review.pk}/").status == 200
    assert "most children are well served" in public.content()
    assert [e for e in leader.js_errors if "status of 4" not in e] == []
