"""Statements of proposed action: deadlines, progress, overdue alerts, the APA following up,
and the intervention trigger."""

from datetime import date

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.followup.models import Action, InterventionCase
from ecm_inspect.followup.services import (
    FollowUpRefused,
    add_months,
    apa_follow_up_lines,
    overdue_actions,
    progress_add,
    statement_make,
)
from ecm_inspect.reports.models import Publication, Recommendation, ReviewJudgement
from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.tests.conftest import ReviewWorld


def _published(rw: ReviewWorld, *, ss_grade: int = 3) -> None:
    Review.objects.filter(pk=rw.review.pk).update(stage=Stage.FOLLOW_UP)
    Publication.objects.create(
        review=rw.review,
        published_on=date(2027, 1, 20),
        html="",
        children_html="",
        grades={"SS": ss_grade},
        reading_grade=3,
    )
    ReviewJudgement.objects.create(
        review=rw.review, level="outcome", code="SS", title="Staying safe", grade=ss_grade
    )
    for order, (text, body, priority) in enumerate(
        (
            ("review referral thresholds", "Gateshead council", "immediately"),
            ("shorten waits for mental health assessment", "The primary care trust", "six_months"),
            ("plan transition to adult services", "Gateshead council", "longer_term"),
        )
    ):
        Recommendation.objects.create(
            review=rw.review, text=text, body=body, priority=priority, order=order
        )


def test_the_statement_of_action_and_its_deadlines(rw: ReviewWorld) -> None:
    with pytest.raises(FollowUpRefused, match="not published"):
        statement_make(review=rw.review)
    _published(rw)
    actions = statement_make(review=rw.review)
    assert [a.deadline for a in actions] == [
        date(2027, 4, 20),
        date(2027, 7, 20),
        date(2028, 7, 20),
    ]
    council, health, _ = actions
    assert council.council_function
    assert health.monitored_by is not None
    assert health.monitored_by.code == "HEALTHCARE_COMMISSION"
    assert statement_make(review=rw.review) == actions  # idempotent
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)


def test_overdue_actions_raise_alerts_until_done(rw: ReviewWorld) -> None:
    _published(rw)
    statement_make(review=rw.review)
    late = overdue_actions(today=date(2027, 5, 1))
    assert [o.action.owner_body for o in late] == ["Gateshead council"]
    assert late[0].days == 11
    first = Action.objects.order_by("deadline")[0]
    progress_add(
        action=first, text="New thresholds agreed by the board.", done=True, on=date(2027, 4, 28)
    )
    assert overdue_actions(today=date(2027, 5, 1)) == []
    # The next APA follows the council's actions up.
    assert apa_follow_up_lines(rw.review.area, 2027) == [
        "Follow-up of the joint area review: 1 of 2 council actions done."
    ]


def test_inadequate_council_services_open_an_intervention_case(rw: ReviewWorld) -> None:
    _published(rw, ss_grade=1)
    statement_make(review=rw.review)
    case = InterventionCase.objects.get(review=rw.review)
    assert "Staying safe" in case.reason
    page = client_for(rw.people.users[Role.NATIONAL_LEAD]).get("/follow-up/").content.decode()
    assert "Gateshead" in page


def test_only_the_area_reports_progress(rw: ReviewWorld) -> None:
    _published(rw)
    statement_make(review=rw.review)
    action = Action.objects.order_by("pk")[0]
    url = f"/reviews/{rw.review.pk}/follow-up/"
    dcs = client_for(rw.people.users[Role.DCS])
    assert dcs.post(url, {"item": action.pk, "text": "Started."}).status_code == 302
    assert action.progress.count() == 1
    inspector = client_for(rw.people.users[Role.NATIONAL_LEAD])
    assert inspector.post(url, {"item": action.pk, "text": "x"}).status_code == 403
