"""The refusals of the follow-up services, each naming what is wrong and leaving nothing
half-written; the state changes they make and the history they keep."""

from datetime import date, timedelta

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.core.calendar import add_working_days
from ecm_inspect.followup.models import (
    Action,
    Progress,
    Service,
    StatementOfAction,
    StatementStatus,
)
from ecm_inspect.followup.services import (
    RESUBMIT_WORKING_DAYS,
    FollowUpRefused,
    action_remove,
    action_write,
    overdue_actions,
    progress_add,
    statement_decide,
    statement_get,
    statement_submit,
    statements_overdue,
)
from ecm_inspect.reports.models import Recommendation
from ecm_inspect.reviews.models import Review
from ecm_inspect.reviews.tests.conftest import ReviewWorld, review_make

from .helpers import PUBLISHED, action_kwargs, counts, publish, recommendations, written


@pytest.fixture
def published(rw: ReviewWorld) -> ReviewWorld:
    publish(rw)
    return rw


def _version(statement: StatementOfAction) -> int:
    return StatementOfAction.objects.get(pk=statement.pk).version


# -- writing actions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "   "}, "Action: say what will be done."),
        ({"owner_body": " \t"}, "Owner: say which body owns the action."),
        ({"service": "social_work"}, "Service: choose the service the action is for."),
        ({"deadline": PUBLISHED}, "Deadline: give a date after the report's publication"),
        ({"deadline": PUBLISHED - timedelta(days=30)}, "(20 January 2027)"),
    ],
    ids=["blank text", "blank owner", "unknown service", "deadline on publication", "before"],
)
def test_an_action_is_refused_naming_the_field(
    published: ReviewWorld, changes: dict[str, object], message: str
) -> None:
    statement = statement_get(review=published.review)
    rec = recommendations(published.review)[0]
    before, version = counts(), statement.version
    with pytest.raises(FollowUpRefused) as refused:
        action_write(statement=statement, **action_kwargs(rec, **changes))
    assert message in str(refused.value)
    assert counts() == before
    assert _version(statement) == version


def test_an_action_against_another_reports_recommendation_is_refused(
    published: ReviewWorld,
) -> None:
    other = review_make(published.people, analysis=date(2026, 11, 2))
    foreign = Recommendation.objects.create(
        review=other, text="elsewhere", body="Sunderland council", priority="immediately"
    )
    statement = statement_get(review=published.review)
    before = counts()
    with pytest.raises(FollowUpRefused, match="not a recommendation of this report"):
        action_write(statement=statement, **action_kwargs(foreign))
    assert counts() == before


@pytest.mark.parametrize("status", [StatementStatus.SUBMITTED, StatementStatus.ACCEPTED])
def test_no_action_is_written_once_the_statement_has_left_the_area(
    published: ReviewWorld, status: str
) -> None:
    statement = statement_get(review=published.review)
    StatementOfAction.objects.filter(pk=statement.pk).update(status=status)
    label = StatementStatus(status).label.lower()
    before = counts()
    with pytest.raises(FollowUpRefused) as refused:
        action_write(statement=statement, **action_kwargs(recommendations(published.review)[0]))
    assert str(refused.value) == (
        f"The statement is {label}: it can no longer be changed by the area."
    )
    assert counts() == before


def test_an_action_is_written_while_the_statement_is_sent_back(published: ReviewWorld) -> None:
    statement = statement_get(review=published.review)
    StatementOfAction.objects.filter(pk=statement.pk).update(status=StatementStatus.SENT_BACK)
    action = action_write(
        statement=statement, **action_kwargs(recommendations(published.review)[0])
    )
    assert action.review_id == published.review.pk
    assert _version(statement) == statement.version + 1


@pytest.mark.parametrize(
    ("service", "council", "monitor"),
    [
        (Service.COUNCIL_EDUCATION, True, "OFSTED"),
        (Service.COUNCIL_SOCIAL_CARE, True, "CSCI"),
        (Service.HEALTH, False, "HEALTHCARE_COMMISSION"),
        (Service.POLICE, False, "HMIC"),
        (Service.YOUTH_JUSTICE, False, "HMI_PROBATION"),
        (Service.LEARNING_AND_SKILLS, False, "ALI"),
        (Service.PARTNERSHIP, False, "OFSTED"),
    ],
)
def test_who_monitors_an_action_follows_its_service(
    published: ReviewWorld, service: str, council: bool, monitor: str
) -> None:
    statement = statement_get(review=published.review)
    action = action_write(
        statement=statement,
        **action_kwargs(
            recommendations(published.review)[0],
            service=service,
            text="  We will act.  ",
            owner_body=" Someone ",
            milestones=" by June ",
        ),
    )
    assert action.council_function is council
    assert action.monitored_by is not None
    assert action.monitored_by.code == monitor
    assert (action.text, action.owner_body, action.milestones) == (
        "We will act.",
        "Someone",
        "by June",
    )


def test_a_partners_own_body_may_be_named_in_any_case(published: ReviewWorld) -> None:
    statement = statement_get(review=published.review)
    partner = published.people.users[Role.PARTNER_CONTRIBUTOR]
    action = action_write(
        statement=statement,
        **action_kwargs(
            recommendations(published.review)[0],
            owner_body="GATESHEAD YOUTH OFFENDING TEAM",
            service=Service.YOUTH_JUSTICE,
        ),
        by=partner,
    )
    assert action.written_by == partner
    assert action.history.get().history_user == partner  # type: ignore[attr-defined]


# -- removing actions ----------------------------------------------------------------------


def test_removing_an_action_keeps_its_history(published: ReviewWorld) -> None:
    statement = written(published)
    dcs = published.people.users[Role.DCS]
    action = Action.objects.order_by("pk")[0]
    pk = action.pk
    action_remove(statement=statement, action=action, by=dcs)
    assert not Action.objects.filter(pk=pk).exists()
    gone = Action.history.filter(id=pk).order_by("history_date")  # type: ignore[attr-defined]
    assert [h.history_type for h in gone] == ["+", "-"]
    assert gone.last().history_user == dcs
    assert _version(statement) == statement.version + 1


def test_removing_refused_once_submitted_or_from_another_statement(
    published: ReviewWorld,
) -> None:
    statement = written(published)
    other = publish(published, review=review_make(published.people, analysis=date(2026, 11, 2)))
    foreign = written(published, review=other)
    stranger = Action.objects.filter(review=other).first()
    assert stranger is not None
    before = counts()
    with pytest.raises(FollowUpRefused, match="That action is not in this statement."):
        action_remove(statement=statement, action=stranger)
    statement_submit(statement=foreign)
    with pytest.raises(FollowUpRefused, match="can no longer be changed by the area"):
        action_remove(statement=foreign, action=stranger)
    assert counts() == before


# -- submitting ----------------------------------------------------------------------------


def test_submitting_names_every_recommendation_without_an_action(published: ReviewWorld) -> None:
    statement = statement_get(review=published.review)
    first = recommendations(published.review)[0]
    action_write(statement=statement, **action_kwargs(first))
    with pytest.raises(FollowUpRefused) as refused:
        statement_submit(statement=statement)
    assert str(refused.value) == (
        "Every recommendation needs at least one action; none yet for: shorten waits for "
        "mental health assessment; plan transition to adult services."
    )
    statement.refresh_from_db()
    assert (statement.status, statement.submissions) == (StatementStatus.DRAFT, 0)


@pytest.mark.parametrize("status", [StatementStatus.SUBMITTED, StatementStatus.ACCEPTED])
def test_a_statement_that_has_left_the_area_is_not_submitted_again(
    published: ReviewWorld, status: str
) -> None:
    statement = written(published)
    StatementOfAction.objects.filter(pk=statement.pk).update(status=status, submissions=1)
    with pytest.raises(FollowUpRefused, match="can no longer be changed by the area"):
        statement_submit(statement=statement)
    assert StatementOfAction.objects.get(pk=statement.pk).submissions == 1


def test_a_stale_submission_is_refused_and_changes_nothing(published: ReviewWorld) -> None:
    statement = written(published)
    seen = statement.version
    action_write(statement=statement, **action_kwargs(recommendations(published.review)[1]))
    with pytest.raises(FollowUpRefused, match="Someone else changed this"):
        statement_submit(statement=statement, seen_version=seen)
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DRAFT
    assert statement.submitted_on is None


def test_submitting_on_the_due_date_is_not_late_the_day_after_is(published: ReviewWorld) -> None:
    statement = written(published)
    due = statement.due_on
    dcs = published.people.users[Role.DCS]
    statement = statement_submit(statement=statement, today=due, by=dcs)
    assert not statement.submitted_late
    assert statement.submitted_by == dcs
    assert statement.history.latest().history_user == dcs  # type: ignore[attr-defined]
    StatementOfAction.objects.filter(pk=statement.pk).update(status=StatementStatus.SENT_BACK)
    statement = statement_submit(statement=statement, today=due + timedelta(days=1))
    assert statement.submitted_late
    assert statement.submissions == 2


# -- deciding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [StatementStatus.DRAFT, StatementStatus.SENT_BACK, StatementStatus.ACCEPTED]
)
def test_only_a_submitted_statement_is_decided(published: ReviewWorld, status: str) -> None:
    statement = written(published)
    StatementOfAction.objects.filter(pk=statement.pk).update(status=status)
    with pytest.raises(FollowUpRefused, match="Only a submitted statement"):
        statement_decide(statement=statement, adequate=True, reasons="Fine.")
    statement.refresh_from_db()
    assert statement.status == status
    assert statement.decided_on is None


def test_a_decision_needs_reasons_and_the_version_seen(published: ReviewWorld) -> None:
    statement = statement_submit(statement=written(published))
    with pytest.raises(FollowUpRefused, match="Reasons: say why"):
        statement_decide(statement=statement, adequate=True, reasons="\n ")
    with pytest.raises(FollowUpRefused, match="Someone else changed this"):
        statement_decide(
            statement=statement,
            adequate=True,
            reasons="Fine.",
            seen_version=statement.version - 1,
        )
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SUBMITTED
    assert statement.decision_reasons == ""


def test_sent_back_is_due_again_ten_working_days_later_accepted_keeps_its_date(
    published: ReviewWorld,
) -> None:
    statement = statement_submit(statement=written(published))
    first_due = statement.due_on
    friday = date(2027, 3, 5)
    lead = published.people.users[Role.NATIONAL_LEAD]
    statement = statement_decide(
        statement=statement,
        adequate=False,
        reasons="  No milestones. ",
        by=lead,
        today=friday,
        seen_version=statement.version,
    )
    assert statement.due_on == add_working_days(friday, RESUBMIT_WORKING_DAYS)
    assert statement.due_on == date(2027, 3, 19)  # two weeks of working days
    assert statement.decision_reasons == "No milestones."
    assert (statement.decided_on, statement.decided_by) == (friday, lead)
    assert statement.due_on != first_due
    statement = statement_submit(statement=statement)
    due = statement.due_on
    statement = statement_decide(statement=statement, adequate=True, reasons="Clear.")
    assert statement.status == StatementStatus.ACCEPTED
    assert statement.due_on == due


# -- statements overdue ----------------------------------------------------------------------


def test_statements_overdue_counts_only_those_with_the_area_after_their_date(
    published: ReviewWorld,
) -> None:
    assert statements_overdue(today=date(2030, 1, 1)) == []  # none started yet
    statement = statement_get(review=published.review)
    due = statement.due_on
    assert statements_overdue(today=due) == []  # due that day: not late yet
    assert [(s.statement.pk, s.days) for s in statements_overdue(today=due + timedelta(3))] == [
        (statement.pk, 3)
    ]
    StatementOfAction.objects.filter(pk=statement.pk).update(status=StatementStatus.SENT_BACK)
    assert len(statements_overdue(today=due + timedelta(3))) == 1
    for status in (StatementStatus.SUBMITTED, StatementStatus.ACCEPTED):
        StatementOfAction.objects.filter(pk=statement.pk).update(status=status)
        assert statements_overdue(today=due + timedelta(3)) == []


# -- progress ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visit", "message"),
    [(False, "Say what progress has been made."), (True, "Say what the monitoring visit found.")],
)
def test_progress_without_words_is_refused(
    published: ReviewWorld, visit: bool, message: str
) -> None:
    written(published)
    action = Action.objects.order_by("pk")[0]
    before = counts()
    with pytest.raises(FollowUpRefused) as refused:
        progress_add(action=action, text="  ", done=True, visit=visit)
    assert str(refused.value) == message
    assert counts() == before
    action.refresh_from_db()
    assert action.done_on is None


def test_an_action_is_done_once_on_the_first_day_reported(published: ReviewWorld) -> None:
    statement = statement_submit(statement=written(published))
    statement_decide(statement=statement, adequate=True, reasons="Every action owned and dated.")
    action = Action.objects.order_by("pk")[0]
    dcs = published.people.users[Role.DCS]
    progress_add(action=action, text="Visit.", done=True, visit=True, on=date(2027, 2, 1))
    action.refresh_from_db()
    assert action.done_on is None  # a visit never finishes an action
    progress_add(action=action, text=" Done. ", done=True, by=dcs, on=date(2027, 3, 1))
    progress_add(action=action, text="Done again.", done=True, on=date(2027, 4, 1))
    action.refresh_from_db()
    assert action.done_on == date(2027, 3, 1)
    assert [(p.text, p.visit) for p in Progress.objects.filter(action=action)] == [
        ("Visit.", True),
        ("Done.", False),
        ("Done again.", False),
    ]
    assert action.history.latest().history_user == dcs  # type: ignore[attr-defined]


# -- overdue actions --------------------------------------------------------------------------


def test_overdue_actions_from_the_day_after_the_deadline_while_not_done(
    published: ReviewWorld,
) -> None:
    statement = written(published)
    first = Action.objects.order_by("deadline")[0]
    after = first.deadline + timedelta(days=1)
    assert overdue_actions(today=after) == []  # the statement is a draft
    statement = statement_submit(statement=statement)
    assert overdue_actions(today=after) == []  # submitted, not yet accepted
    statement_decide(statement=statement, adequate=True, reasons="Clear.")
    assert overdue_actions(today=first.deadline) == []
    assert [(o.action.pk, o.days) for o in overdue_actions(today=after)] == [(first.pk, 1)]
    far = date(2031, 1, 1)
    assert len(overdue_actions(today=far)) == 3
    Action.objects.filter(pk=first.pk).update(done_on=date(2030, 1, 1))
    assert len(overdue_actions(today=far)) == 2


def test_the_statement_is_started_once_with_its_due_date(published: ReviewWorld) -> None:
    first = statement_get(review=published.review)
    second = statement_get(review=published.review)
    assert first.pk == second.pk
    assert StatementOfAction.objects.count() == 1
    assert first.due_on == add_working_days(PUBLISHED, 50)


def test_a_review_not_published_has_no_statement(rw: ReviewWorld) -> None:
    with pytest.raises(FollowUpRefused, match="The report is not published yet."):
        statement_get(review=rw.review)
    assert not StatementOfAction.objects.exists()
    assert Review.objects.get(pk=rw.review.pk).stage != "follow_up"


def test_progress_waits_for_the_statement_to_be_accepted(published: ReviewWorld) -> None:
    """Until the lead inspectorate accepts the statement, the area changes its actions there;
    progress (and "done") is refused, while a monitoring visit may be noted at any time."""
    statement = written(published)
    action = Action.objects.order_by("pk")[0]
    with pytest.raises(FollowUpRefused, match="once the lead inspectorate has accepted"):
        progress_add(action=action, text="Done.", done=True)
    statement_submit(statement=statement)
    with pytest.raises(FollowUpRefused, match="once the lead inspectorate has accepted"):
        progress_add(action=action, text="Done.", done=True)
    action.refresh_from_db()
    assert action.done_on is None
    assert not Progress.objects.filter(action=action, visit=False).exists()
    progress_add(action=action, text="Visited.", visit=True)
    assert Progress.objects.filter(action=action, visit=True).count() == 1
