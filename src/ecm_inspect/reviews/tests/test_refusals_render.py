"""Every refusal of the stage moves, the stage forms and the report page, walked through the web
client: each renders as a GOV.UK error summary with its reason (and the typed input kept),
never inside a success banner, and never with a confirm button while the move is refused."""

from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.reports.services import draft_make
from ecm_inspect.reviews.models import Review, Stage

from .conftest import ReviewWorld, team_set
from .test_workflow import _walk_to


@pytest.fixture(autouse=True)
def _workflow_rules_only() -> None:
    """Here every feature's guards and effects apply, as in the product."""


def _errors(response: Any, *reasons: str, status: int) -> str:
    html = response.content.decode()
    assert response.status_code == status, html[:400]
    assert "govuk-error-summary" in html
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    for reason in reasons:
        assert escape(reason) in summary, (reason, summary)
    assert "govuk-notification-banner--success" not in html
    return html


def _leader(rw: ReviewWorld) -> Client:
    return client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])


def test_a_refused_one_click_move_shows_every_reason(rw: ReviewWorld) -> None:
    team_set(rw)
    Review.objects.filter(pk=rw.review.pk).update(stage=Stage.NOTIFIED)
    response = _leader(rw).post(f"/reviews/{rw.review.pk}/advance/", {"to": "set_up"})
    _errors(response, "The set-up meeting is not recorded yet.", status=409)


def test_a_move_dated_in_the_future_is_refused(rw: ReviewWorld) -> None:
    team_set(rw)
    Review.objects.filter(pk=rw.review.pk).update(stage=Stage.SET_UP)
    response = _leader(rw).post(
        f"/reviews/{rw.review.pk}/advance/", {"to": "analysis", "on": "2099-01-01"}
    )
    _errors(
        response,
        "A move is recorded once it has happened: 1 January 2099 is in the future.",
        status=409,
    )


def test_a_bad_date_comes_back_as_an_error(rw: ReviewWorld) -> None:
    team_set(rw)
    response = _leader(rw).post(
        f"/reviews/{rw.review.pk}/advance/", {"to": "notified", "on": "not a date"}
    )
    html = _errors(response, "Enter a valid date.", status=422)
    assert 'value="not a date"' in html  # the typed input kept


def test_the_confirmation_page_shows_refusals_and_no_confirm_button(rw: ReviewWorld) -> None:
    leader = client_for(rw.people.users[Role.NATIONAL_LEAD])
    response = leader.get(f"/reviews/{rw.review.pk}/confirm/notified/")
    html = _errors(
        response,
        "The team breaks its rules: a team has exactly one team leader (this one has 0); "
        "a team has between 3 and 8 members, the leader included (this one has 0).",
        status=200,
    )
    assert "Confirm: send the notification" not in html
    # Confirming anyway is refused, with the same reasons.
    forced = leader.post(f"/reviews/{rw.review.pk}/advance/", {"to": "notified", "confirmed": "on"})
    _errors(forced, "The team breaks its rules", status=409)
    assert Review.objects.get(pk=rw.review.pk).stage == Stage.PLANNED


def test_findings_agreed_too_early_is_refused_on_the_page(rw: ReviewWorld) -> None:
    review = _walk_to(rw, rw.review, Stage.FIELDWORK, dated=True)
    response = _leader(rw).post(
        f"/reviews/{review.pk}/advance/", {"to": "findings_agreed", "on": "2026-10-09"}
    )
    _errors(
        response,
        "Fieldwork is planned to end on 16 October 2026: the findings cannot be agreed on "
        "9 October 2026, before it ends.",
        "The headline feedback to the director of children's services at the end of "
        "fieldwork is not recorded yet.",
        status=409,
    )


def test_the_stage_forms_keep_input_and_show_errors(rw: ReviewWorld) -> None:
    review = _walk_to(rw, rw.review, Stage.FIELDWORK, dated=True)
    leader = _leader(rw)
    url = f"/reviews/{review.pk}/stages/fieldwork/"
    empty = leader.post(url, {"given_on": "2026-10-16", "given_to": "Dana Director"})
    html = _errors(empty, "This field is required.", status=422)
    assert "Dana Director</textarea>" in html
    assert "govuk-error-message" in html  # beside the field
    future = leader.post(
        url, {"given_on": "2099-10-16", "given_to": "Dana Director", "findings": "Good."}
    )
    _errors(future, "Feedback is recorded once given: the date is in the future.", status=422)
    saved = leader.post(
        url, {"given_on": "2026-10-16", "given_to": "Dana Director", "findings": "Good."}
    )
    assert saved.status_code == 302
    page = leader.get(url).content.decode()
    assert "Recorded the headline feedback to the DCS." in page
    assert "govuk-error-summary" not in page
    # The findings meeting's own form: not the set-up meeting's fields.
    Review.objects.filter(pk=review.pk).update(stage=Stage.COMMENTS_CLOSED)
    meeting = leader.get(f"/reviews/{review.pk}/stages/comments_closed/").content.decode()
    assert "Changes to the report agreed" in meeting
    assert "Basis for planning" not in meeting
    missing = leader.post(f"/reviews/{review.pk}/stages/comments_closed/", {"held_on": "x"})
    _errors(missing, "Enter a valid date.", "This field is required.", status=422)


def test_publication_refusals_are_errors_on_the_confirmation_page(rw: ReviewWorld) -> None:
    team_set(rw)
    Review.objects.filter(pk=rw.review.pk).update(stage=Stage.FINDINGS_MEETING_HELD)
    response = _leader(rw).get(
        f"/reviews/{rw.review.pk}/confirm/published/?to=published&on=2026-12-02"
    )
    html = _errors(
        response,
        "Accuracy comments are open until 29 December 2026",
        "Not every judgement is ready: No judgement has been proposed or recorded.",
        "The report makes no recommendation: add at least one on the judgements page.",
        status=200,
    )
    assert "Confirm: publish the report" not in html
    assert f"/reports/{rw.review.pk}/report.pdf" in html  # what would become public


def test_the_report_page_shows_refusals_as_errors_with_input_kept(rw: ReviewWorld) -> None:
    team_set(rw)
    draft_make(review=rw.review)
    Review.objects.filter(pk=rw.review.pk).update(stage=Stage.DRAFT_SENT)
    dcs = client_for(rw.people.users[Role.DCS])
    url = f"/reviews/{rw.review.pk}/report/"
    response = dcs.post(url, {"action": "comment", "paragraph": "ZZ", "text": "Wrong figure."})
    html = _errors(response, "Draft 1 has no paragraph 'ZZ'.", status=422)
    assert "Wrong figure.</textarea>" in html
    blank = dcs.post(url, {"action": "comment", "paragraph": "S1", "text": " "})
    _errors(blank, "Write the comment.", status=422)


def test_the_area_says_it_has_no_more_comments(rw: ReviewWorld) -> None:
    team_set(rw)
    draft_make(review=rw.review)
    Review.objects.filter(pk=rw.review.pk).update(stage=Stage.DRAFT_SENT)
    dcs = client_for(rw.people.users[Role.DCS])
    url = f"/reviews/{rw.review.pk}/report/"
    assert "We have no more comments" in dcs.get(url).content.decode()
    assert dcs.post(url, {"action": "no_more_comments"}).status_code == 302
    page = dcs.get(url).content.decode()
    assert "The area has no more comments" in page
    assert "Recorded that the area has no more comments on the draft." in page
