"""Statements of proposed action written by the area and decided by the lead inspectorate,
deadlines, progress and monitoring, overdue alerts, the APA following up, and intervention
cases from opening to closing."""

from datetime import date

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.followup.models import (
    Action,
    CaseStatus,
    InterventionCase,
    Service,
    StatementOfAction,
    StatementStatus,
)
from ecm_inspect.followup.services import (
    FollowUpRefused,
    action_write,
    apa_follow_up_lines,
    case_step,
    intervention_check,
    overdue_actions,
    progress_add,
    statement_decide,
    statement_due,
    statement_get,
    statement_submit,
    statements_overdue,
)
from ecm_inspect.reports.models import Publication, Recommendation, ReviewJudgement
from ecm_inspect.reviews.tests.conftest import ReviewWorld

from .helpers import PUBLISHED, publish, written


def _published(rw: ReviewWorld, *, ss_grade: int = 3) -> None:
    publish(rw, grades={"SS": ss_grade})


def _written(rw: ReviewWorld) -> StatementOfAction:
    """The area's statement: an action of its own for every recommendation."""
    return written(rw)


def _accepted(rw: ReviewWorld) -> StatementOfAction:
    statement = _written(rw)
    statement_submit(statement=statement, today=date(2027, 3, 1))
    return statement_decide(statement=statement, adequate=True, reasons="Clear and owned.")


def test_the_area_writes_and_submits_its_statement_by_its_due_date(rw: ReviewWorld) -> None:
    with pytest.raises(FollowUpRefused, match="not published"):
        statement_get(review=rw.review)
    _published(rw)
    statement = statement_get(review=rw.review)
    assert statement.status == StatementStatus.DRAFT
    assert statement.due_on == statement_due(Publication.objects.get(review=rw.review))
    assert statement.due_on > PUBLISHED
    with pytest.raises(FollowUpRefused, match="none yet for: review referral thresholds"):
        statement_submit(statement=statement)
    statement = _written(rw)
    council, health, _ = Action.objects.filter(review=rw.review).order_by("deadline")
    # Who monitors follows the service's table, not the words of the body's name.
    assert council.council_function
    assert not health.council_function
    assert [a.monitored_by.code for a in (council, health) if a.monitored_by] == [
        "CSCI",
        "HEALTHCARE_COMMISSION",
    ]
    with pytest.raises(FollowUpRefused, match="Deadline: give a date after"):
        action_write(
            statement=statement,
            recommendation=council.recommendation,
            text="x",
            owner_body="y",
            service=Service.POLICE,
            deadline=PUBLISHED,
        )
    assert statements_overdue(today=statement.due_on) == []
    late_day = date(2027, 6, 1)
    assert [s.days for s in statements_overdue(today=late_day)] == [
        (late_day - statement.due_on).days
    ]
    with pytest.raises(FollowUpRefused, match="Someone else changed"):
        statement_submit(statement=statement, seen_version=statement.version - 1)
    statement = statement_submit(
        statement=statement, today=late_day, seen_version=statement.version
    )
    assert statement.status == StatementStatus.SUBMITTED
    assert statement.submitted_late
    assert statements_overdue(today=late_day) == []  # no longer with the area
    with pytest.raises(FollowUpRefused, match="can no longer be changed"):
        action_write(
            statement=statement,
            recommendation=council.recommendation,
            text="x",
            owner_body="y",
            service=Service.POLICE,
            deadline=date(2027, 9, 1),
        )


def test_the_lead_inspectorate_sends_back_then_accepts(rw: ReviewWorld) -> None:
    _published(rw)
    statement = _written(rw)
    with pytest.raises(FollowUpRefused, match="Only a submitted statement"):
        statement_decide(statement=statement, adequate=True, reasons="Fine.")
    statement = statement_submit(statement=statement, today=date(2027, 3, 1))
    with pytest.raises(FollowUpRefused, match="Reasons"):
        statement_decide(statement=statement, adequate=False, reasons=" ")
    statement = statement_decide(
        statement=statement, adequate=False, reasons="No milestones.", today=date(2027, 3, 5)
    )
    assert statement.status == StatementStatus.SENT_BACK
    assert statement.due_on > date(2027, 3, 5)  # due again
    assert overdue_actions(today=date(2030, 1, 1)) == []  # not committed until accepted
    statement = statement_submit(statement=statement, today=date(2027, 3, 10))
    assert statement.submissions == 2
    statement = statement_decide(statement=statement, adequate=True, reasons="Now clear.")
    assert statement.status == StatementStatus.ACCEPTED
    states = [h.status for h in statement.history.order_by("history_date")]  # type: ignore[attr-defined]
    assert states == ["draft", "submitted", "sent_back", "submitted", "accepted"]


def test_overdue_actions_raise_alerts_until_done(rw: ReviewWorld) -> None:
    _published(rw)
    _accepted(rw)
    late = overdue_actions(today=date(2027, 5, 1))
    assert [o.action.owner_body for o in late] == ["Gateshead council"]
    assert late[0].days == 11
    first = Action.objects.order_by("deadline")[0]
    progress_add(action=first, text="A visit found the thresholds in use.", visit=True)
    assert len(overdue_actions(today=date(2027, 5, 1))) == 1  # a visit does not finish it
    progress_add(
        action=first, text="New thresholds agreed by the board.", done=True, on=date(2027, 4, 28)
    )
    assert overdue_actions(today=date(2027, 5, 1)) == []
    # The next APA follows the council's actions up.
    assert apa_follow_up_lines(rw.review.area, 2027) == [
        "Follow-up of the joint area review: 1 of 2 council actions done."
    ]


def test_an_intervention_case_from_opening_to_closing(rw: ReviewWorld) -> None:
    _published(rw, ss_grade=1)
    case = intervention_check(review=rw.review)
    assert case is not None
    assert case.finding == [{"code": "SS", "title": "Title of SS", "grade": 1}]
    assert case.status == CaseStatus.OPEN
    with pytest.raises(FollowUpRefused, match="only once it is referred"):
        case_step(case=case, step="decide", text="Notice to improve.")
    with pytest.raises(FollowUpRefused, match="Note"):
        case_step(case=case, step="refer", text="")
    case = case_step(case=case, step="refer", text="Safeguarding inadequate.", on=date(2027, 2, 1))
    with pytest.raises(FollowUpRefused, match="Someone else changed"):
        case_step(case=case, step="decide", text="x", seen_version=case.version - 1)
    case = case_step(case=case, step="decide", text="Improvement notice issued.")
    case = case_step(case=case, step="close", text="Notice lifted after re-inspection.")
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on is not None
    assert case.referred_on == date(2027, 2, 1)
    with pytest.raises(FollowUpRefused):
        case_step(case=case, step="close", text="again")
    page = client_for(rw.people.users[Role.NATIONAL_LEAD]).get("/follow-up/").content.decode()
    assert "Gateshead" not in page  # closed cases leave the overview


def test_no_case_where_the_council_functions_are_not_inadequate(rw: ReviewWorld) -> None:
    _published(rw, ss_grade=2)
    assert intervention_check(review=rw.review) is None
    assert not InterventionCase.objects.exists()


def test_the_council_grade_decides_not_the_grade_for_all_local_services(rw: ReviewWorld) -> None:
    """Local services inadequate at keeping children safe, the council's own adequate: no
    case; the council's own inadequate while local services overall are adequate: a case."""
    _published(rw, ss_grade=1)
    ReviewJudgement.objects.filter(review=rw.review, code="SS").update(council_grade=2)
    assert intervention_check(review=rw.review) is None
    ReviewJudgement.objects.filter(review=rw.review, code="SS").update(grade=2, council_grade=1)
    case = intervention_check(review=rw.review)
    assert case is not None
    assert case.finding == [{"code": "SS", "title": "Title of SS", "grade": 1}]


def test_who_does_what_on_the_pages(rw: ReviewWorld) -> None:
    _published(rw)
    url = f"/reviews/{rw.review.pk}/follow-up/"
    rec = Recommendation.objects.filter(review=rw.review).order_by("order")[0]
    dcs = client_for(rw.people.users[Role.DCS])
    typed = {
        "do": "write",
        "recommendation": rec.pk,
        "text": "We will agree new thresholds.",
        "owner_body": "Gateshead council",
        "service": Service.COUNCIL_SOCIAL_CARE,
        "deadline": "2027-04-20",
    }
    bad = dcs.post(url, {**typed, "deadline": "soon"})
    assert bad.status_code == 422
    assert "Deadline: Enter a valid date." in bad.content.decode()
    assert "We will agree new thresholds." in bad.content.decode()  # what was typed is kept
    assert dcs.post(url, typed).status_code == 302
    national = client_for(rw.people.users[Role.NATIONAL_LEAD])
    assert national.post(url, typed).status_code == 403  # inspectors do not write it
    unconfirmed = dcs.post(url, {"do": "submit"})
    assert unconfirmed.status_code == 422
    assert "tick the box" in unconfirmed.content.decode()
    partner = client_for(rw.people.users[Role.PARTNER_CONTRIBUTOR])
    assert partner.post(url, {"do": "submit", "confirm": "yes"}).status_code == 403
    statement = _written(rw)
    assert dcs.post(url, {"do": "submit", "confirm": "yes"}).status_code == 302
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SUBMITTED
    assert dcs.post(url, {"do": "decide", "adequate": "yes", "reasons": "x"}).status_code == 403
    assert (
        national.post(url, {"do": "decide", "adequate": "yes", "reasons": "Clear."}).status_code
        == 302
    )
    action = Action.objects.order_by("pk")[0]
    assert (
        dcs.post(url, {"do": "progress", "item": action.pk, "text": "Started."}).status_code == 302
    )
    assert national.post(url, {"do": "progress", "item": action.pk, "text": "x"}).status_code == 403
    assert (
        national.post(url, {"do": "visit", "item": action.pk, "text": "Seen."}).status_code == 302
    )
    assert dcs.post(url, {"do": "visit", "item": action.pk, "text": "x"}).status_code == 403
    assert [p.visit for p in action.progress.all()] == [False, True]


def test_a_partner_contributor_writes_actions_for_their_own_body(rw: ReviewWorld) -> None:
    _published(rw)
    statement = statement_get(review=rw.review)
    partner = rw.people.users[Role.PARTNER_CONTRIBUTOR]
    rec = Recommendation.objects.filter(review=rw.review).first()
    assert rec is not None
    with pytest.raises(FollowUpRefused, match="for Gateshead Youth Offending Team only"):
        action_write(
            statement=statement,
            recommendation=rec,
            text="We will review thresholds.",
            owner_body="Gateshead council",
            service=Service.COUNCIL_SOCIAL_CARE,
            deadline=date(2027, 4, 1),
            by=partner,
        )
    action = action_write(
        statement=statement,
        recommendation=rec,
        text="We will screen every young offender for safeguarding needs.",
        owner_body="Gateshead Youth Offending Team, head of service",
        service=Service.YOUTH_JUSTICE,
        deadline=date(2027, 4, 1),
        by=partner,
    )
    assert action.written_by == partner
    assert action.monitored_by is not None
    assert action.monitored_by.code == "HMI_PROBATION"
    # The form starts with the partner's own body as the owner.
    page = client_for(partner).get(f"/reviews/{rw.review.pk}/follow-up/").content.decode()
    assert 'value="Gateshead Youth Offending Team"' in page


def test_the_page_keeps_every_decision_and_says_when_each_recommendation_is_expected(
    rw: ReviewWorld,
) -> None:
    _published(rw)
    statement = _written(rw)
    statement = statement_submit(statement=statement, today=date(2027, 6, 1))  # late
    statement = statement_decide(statement=statement, adequate=False, reasons="No milestones.")
    statement = statement_submit(statement=statement)
    statement_decide(statement=statement, adequate=True, reasons="Now clear.")
    page = client_for(rw.people.users[Role.DCS]).get(f"/reviews/{rw.review.pk}/follow-up/")
    trail = page.content.decode().split('id="statement-trail"')[1]
    assert "No milestones." in trail  # the send-back's reasons, after acceptance
    assert "Now clear." in trail
    assert trail.count("Late</strong>") == 1  # the first submission only
    assert "Expected by 20 April 2027 (immediately" in page.content.decode()
