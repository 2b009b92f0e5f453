"""People's follow-up work: the area's statement and actions for the DCS and partners, the
statements waiting for the review's leader, and the overdue items for the leads; and what the
next APA says of the council's actions."""

from datetime import date, timedelta

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import verified
from ecm_inspect.followup.models import Action, StatementOfAction, StatementStatus
from ecm_inspect.followup.selectors import overdue_follow_up_work, statement_work_for_user
from ecm_inspect.followup.services import (
    action_write,
    apa_follow_up_lines,
    statement_decide,
    statement_due,
    statement_get,
    statement_submit,
)
from ecm_inspect.reports.models import Publication
from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.tests.conftest import ReviewWorld, review_make, team_set

from .helpers import (
    PUBLISHED,
    action_kwargs,
    as_verified,
    other_area_user,
    publish,
    recommendations,
    written,
)

TODAY = date(2027, 2, 1)


def _titles(rw: ReviewWorld, role: str, today: date = TODAY) -> list[tuple[str, str]]:
    return [
        (i.section, i.text)
        for i in statement_work_for_user(user=as_verified(rw, role), today=today)
    ]


def test_without_the_second_factor_there_is_no_work(rw: ReviewWorld) -> None:
    publish(rw)
    for user in rw.people.users.values():
        assert statement_work_for_user(user=user, today=TODAY) == []
        assert overdue_follow_up_work(user=user, today=TODAY) == []


def test_the_area_is_asked_for_its_statement_once_the_report_is_published(
    rw: ReviewWorld,
) -> None:
    assert _titles(rw, Role.DCS) == []  # not published
    publish(rw)
    due = statement_due(Publication.objects.get(review=rw.review))
    (item,) = statement_work_for_user(user=as_verified(rw, Role.DCS), today=TODAY)
    assert item.text == (
        "Write and submit the statement of proposed action for Gateshead"
    )  # before the statement is even opened
    assert item.due == due
    assert item.detail == "On the report published on 20 January 2027."
    assert not item.overdue
    assert statement_work_for_user(user=as_verified(rw, Role.DCS), today=due + timedelta(1))[
        0
    ].overdue
    assert _titles(rw, Role.PARTNER_CONTRIBUTOR) == [
        (
            "Statement of proposed action",
            "Add your actions to the statement of proposed action for Gateshead",
        )
    ]
    assert statement_work_for_user(user=verified(other_area_user()), today=TODAY) == []


def test_a_published_report_at_another_stage_asks_nothing(rw: ReviewWorld) -> None:
    publish(rw)
    Review.objects.filter(pk=rw.review.pk).update(stage=Stage.FINDINGS_MEETING_HELD)
    assert _titles(rw, Role.DCS) == []


def test_a_statement_sent_back_is_asked_for_again_by_its_new_date(rw: ReviewWorld) -> None:
    publish(rw)
    statement = statement_submit(statement=written(rw))
    assert _titles(rw, Role.DCS) == []  # with the lead inspectorate
    statement = statement_decide(
        statement=statement, adequate=False, reasons="No owners.", today=date(2027, 3, 1)
    )
    (item,) = statement_work_for_user(user=as_verified(rw, Role.DCS), today=TODAY)
    assert item.due == statement.due_on
    assert item.detail == "Sent back by the lead inspectorate: see its reasons."


def test_the_dcs_reports_on_overdue_actions_partners_on_their_bodys(rw: ReviewWorld) -> None:
    publish(rw)
    statement = written(rw)
    partner = rw.people.users[Role.PARTNER_CONTRIBUTOR]
    action_write(
        statement=statement,
        **action_kwargs(
            recommendations(rw.review)[0],
            owner_body="Gateshead Youth Offending Team",
            service="youth_justice",
            deadline=date(2028, 1, 1),
            text="We will screen young offenders.",
        ),
        by=partner,
    )
    statement.refresh_from_db()
    statement = statement_submit(statement=statement)
    statement_decide(statement=statement, adequate=True, reasons="Clear.")
    first = Action.objects.order_by("deadline")[0]
    day = first.deadline + timedelta(days=1)
    assert _titles(rw, Role.DCS, day) == [
        ("Actions to report on", "Report progress: We will review referral thresholds.")
    ]
    assert _titles(rw, Role.PARTNER_CONTRIBUTOR, day) == [
        ("Actions to report on", "Report progress: We will screen young offenders.")
    ]
    Action.objects.filter(pk=first.pk).update(done_on=day)
    assert _titles(rw, Role.DCS, day) == []


def test_a_partner_is_not_asked_for_progress_before_the_statement_is_accepted(
    rw: ReviewWorld,
) -> None:
    publish(rw)
    statement = statement_get(review=rw.review)
    action_write(
        statement=statement,
        **action_kwargs(
            recommendations(rw.review)[0],
            owner_body="Gateshead Youth Offending Team",
            service="youth_justice",
        ),
        by=rw.people.users[Role.PARTNER_CONTRIBUTOR],
    )
    sections = [s for s, _ in _titles(rw, Role.PARTNER_CONTRIBUTOR)]
    assert "Actions to report on" not in sections


def test_the_reviews_leader_is_asked_to_decide_a_submitted_statement(rw: ReviewWorld) -> None:
    publish(rw)
    statement = written(rw)
    assert _titles(rw, Role.REVIEW_TEAM_LEADER) == []  # not on the team
    team_set(rw)
    assert _titles(rw, Role.REVIEW_TEAM_LEADER) == []  # nothing submitted
    statement_submit(statement=statement, today=date(2027, 3, 2))
    (item,) = statement_work_for_user(user=as_verified(rw, Role.REVIEW_TEAM_LEADER), today=TODAY)
    assert item.section == "Statements to decide"
    assert item.detail == "Submitted on 2 March 2027."
    assert item.href == f"/reviews/{rw.review.pk}/follow-up/"
    for role in (Role.INSPECTOR, Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD):
        assert _titles(rw, role) == [], role


# -- the leads' overdue work ------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.REVIEW_TEAM_LEADER, Role.INSPECTOR, Role.DCS, Role.PARTNER_CONTRIBUTOR]
)
def test_overdue_work_is_only_for_the_leads(rw: ReviewWorld, role: str) -> None:
    publish(rw, on=date(2020, 1, 6))
    statement_get(review=rw.review)
    assert overdue_follow_up_work(user=as_verified(rw, role), today=TODAY) == []


def test_nothing_overdue_is_a_place_to_go_not_a_task(rw: ReviewWorld) -> None:
    (item,) = overdue_follow_up_work(user=as_verified(rw, Role.NATIONAL_LEAD), today=TODAY)
    assert item.text == "Nothing is overdue: see the follow-up of every review"
    assert not item.is_task
    assert item.href == "/follow-up/"


def _second_review(rw: ReviewWorld, on: date) -> Review:
    other = review_make(rw.people, analysis=date(2026, 11, 2))
    other.area = rw.people.other_area
    other.save()
    return publish(rw, review=other, on=on)


def test_overdue_statements_and_actions_counted_across_areas(rw: ReviewWorld) -> None:
    lead = as_verified(rw, Role.INSPECTORATE_LEAD)
    publish(rw, on=date(2020, 1, 6))
    gateshead = statement_get(review=rw.review)
    day = gateshead.due_on + timedelta(days=1)
    (one,) = overdue_follow_up_work(user=lead, today=day)
    assert one.text == "1 statement of proposed action past due"
    assert (one.due, one.detail, one.overdue) == (gateshead.due_on, "Gateshead.", True)
    other = _second_review(rw, on=date(2020, 2, 3))
    sunderland = statement_get(review=other)
    late = gateshead.due_on + timedelta(days=60)
    (two,) = overdue_follow_up_work(user=lead, today=late)
    assert two.text == "2 statements of proposed action past due"
    assert (two.due, two.detail) == (gateshead.due_on, "Gateshead, Sunderland.")
    # Gateshead's statement accepted: its three actions fall due in turn.
    statement = written(rw, on=date(2020, 1, 6))
    statement_decide(statement=statement_submit(statement=statement), adequate=True, reasons="OK")
    first = Action.objects.filter(review=rw.review).order_by("deadline")[0]
    day = max(first.deadline, sunderland.due_on) + timedelta(days=1)
    items = overdue_follow_up_work(user=lead, today=day)
    assert [i.text for i in items] == [
        "1 statement of proposed action past due",
        "1 action past its deadline",
    ]
    items = overdue_follow_up_work(user=lead, today=date(2030, 1, 1))
    assert items[-1].text == "3 actions past their deadline"
    assert (items[-1].due, items[-1].detail) == (first.deadline, "Gateshead.")


# -- the APA following up ------------------------------------------------------------------


def test_the_apa_says_nothing_without_council_actions(rw: ReviewWorld) -> None:
    assert apa_follow_up_lines(rw.review.area, 2027) == []
    publish(rw)
    statement = statement_get(review=rw.review)
    action_write(
        statement=statement,
        **action_kwargs(recommendations(rw.review)[1], service="health", owner_body="The PCT"),
    )
    assert apa_follow_up_lines(rw.review.area, 2027) == []  # health is not the council's


def test_the_apa_counts_the_council_actions_done_and_overdue_by_its_year(rw: ReviewWorld) -> None:
    publish(rw)
    written(rw)  # council actions due April 2027 and July 2028; health July 2027
    assert apa_follow_up_lines(rw.review.area, 2026) == []  # published after that year
    assert apa_follow_up_lines(rw.people.other_area, 2027) == []
    assert apa_follow_up_lines(rw.review.area, 2027) == [
        "Follow-up of the joint area review: 0 of 2 council actions done, 1 overdue."
    ]
    assert apa_follow_up_lines(rw.review.area, 2028) == [
        "Follow-up of the joint area review: 0 of 2 council actions done, 2 overdue."
    ]
    first = Action.objects.filter(council_function=True).order_by("deadline")[0]
    Action.objects.filter(pk=first.pk).update(done_on=date(2027, 12, 31))
    assert apa_follow_up_lines(rw.review.area, 2027) == [
        "Follow-up of the joint area review: 1 of 2 council actions done."
    ]


def test_an_action_done_after_the_year_was_overdue_in_it(rw: ReviewWorld) -> None:
    publish(rw)
    written(rw)
    first = Action.objects.filter(council_function=True).order_by("deadline")[0]
    assert first.deadline.year == 2027
    before = apa_follow_up_lines(rw.review.area, 2027)
    Action.objects.filter(pk=first.pk).update(done_on=date(2028, 2, 1))
    assert apa_follow_up_lines(rw.review.area, 2027) == before


def test_the_statements_listed_are_those_of_published_reviews(rw: ReviewWorld) -> None:
    publish(rw, on=PUBLISHED)
    statement_get(review=rw.review)
    assert StatementOfAction.objects.get().status == StatementStatus.DRAFT
    Publication.objects.all().delete()
    assert _titles(rw, Role.DCS) == []  # no publication: nothing to write against
