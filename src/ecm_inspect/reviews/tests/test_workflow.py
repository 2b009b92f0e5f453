"""The review's stages: every illegal move refused with its reason, the whole path walked,
team rules, notification content."""

from datetime import date
from typing import Any

import pytest
from django.core import mail

from ecm_inspect.reviews.models import (
    STAGE_ORDER,
    MeetingKind,
    Milestone,
    MilestoneKind,
    Review,
    Stage,
    StageChange,
)
from ecm_inspect.reviews.services import (
    ReviewRefused,
    fieldwork_feedback_record,
    fieldwork_plan_record,
    meeting_record,
    no_more_comments_record,
    review_advance,
    review_create,
    review_team_set,
)
from ecm_inspect.reviews.stages import refusals

from .conftest import ReviewWorld, review_make, team_set


def _walk_to(rw: ReviewWorld, review: Review, stage: Stage) -> Review:
    """Do what each stage needs and move on, until `stage`."""
    team_set(rw, review)
    while review.stage != stage:
        if review.stage == Stage.NOTIFIED:
            meeting_record(
                review=review, kind=MeetingKind.SET_UP, held_on=date(2026, 8, 17),
                attendees="Dana Director\nLena Leader", basis_for_planning="APA 2025",
                fieldwork_issues="Safeguarding; children in care", timetable_confirmed=True,
            )  # fmt: skip
        if review.stage == Stage.ANALYSIS:
            fieldwork_plan_record(
                review=review, hypotheses="Referral thresholds are unclear.",
                activities="Track 10 children; one neighbourhood study.",
                agree_on=date(2026, 9, 18),
            )  # fmt: skip
        if review.stage == Stage.FIELDWORK:
            fieldwork_feedback_record(
                review=review, given_on=date(2026, 10, 16), given_to="Dana Director",
                findings="Safeguarding is adequate; children in care do well.",
            )  # fmt: skip
        if review.stage == Stage.DRAFT_SENT:
            no_more_comments_record(review=review, by=rw.people.users["dcs"])
        if review.stage == Stage.COMMENTS_CLOSED:
            meeting_record(
                review=review, kind=MeetingKind.FINDINGS, held_on=date(2026, 12, 1),
                attendees="Chief executive\nLeader of the council",
            )  # fmt: skip
        target = STAGE_ORDER[STAGE_ORDER.index(Stage(review.stage)) + 1]
        review = review_advance(
            review=review, to=target, by=rw.people.users["national_lead"], confirmed=True
        )
    return review


@pytest.mark.parametrize("stage", STAGE_ORDER)
def test_every_illegal_move_is_refused_with_its_reason(rw: ReviewWorld, stage: Stage) -> None:
    review = _walk_to(rw, rw.review, stage)
    changes = StageChange.objects.count()
    position = STAGE_ORDER.index(stage)
    for target in STAGE_ORDER:
        index = STAGE_ORDER.index(target)
        if index == position + 1:
            continue
        with pytest.raises(ReviewRefused) as info:
            review_advance(review=review, to=target)
        reason = str(info.value)
        if stage == Stage.FOLLOW_UP:
            assert "last stage" in reason
        elif index <= position:
            assert "cannot go back" in reason
        else:
            assert "one stage at a time" in reason
    review.refresh_from_db()
    assert review.stage == stage
    assert StageChange.objects.count() == changes


def test_each_guard_names_what_is_missing(rw: ReviewWorld) -> None:
    review = rw.review
    assert refusals(review, Stage.NOTIFIED) == [
        "The team breaks its rules: a team has exactly one team leader (this one has 0); "
        "a team has between 3 and 8 members, the leader included (this one has 0)."
    ]
    team_set(rw)
    review = review_advance(review=review, to=Stage.NOTIFIED, confirmed=True)
    assert refusals(review, Stage.SET_UP) == ["The set-up meeting is not recorded yet."]
    meeting_record(
        review=review, kind=MeetingKind.SET_UP, held_on=date(2026, 8, 17), attendees="DCS"
    )
    assert refusals(review, Stage.SET_UP) == [
        "The set-up meeting has not confirmed the basis for planning the review programme, "
        "the issues for fieldwork, the timetable."
    ]
    meeting_record(
        review=review, kind=MeetingKind.SET_UP, held_on=date(2026, 8, 17), attendees="DCS",
        basis_for_planning="APA", fieldwork_issues="Safeguarding", timetable_confirmed=True,
    )  # fmt: skip
    review = review_advance(review=review, to=Stage.SET_UP)
    review = review_advance(review=review, to=Stage.ANALYSIS)
    assert refusals(review, Stage.FIELDWORK) == ["Fieldwork cannot start without a fieldwork plan."]
    fieldwork_plan_record(review=review, hypotheses="H", activities="A")
    assert refusals(review, Stage.FIELDWORK) == [
        "The fieldwork plan has not been agreed by the team leader."
    ]
    fieldwork_plan_record(review=review, hypotheses="H", activities="A", agree_on=date(2026, 9, 18))
    assert refusals(review, Stage.FIELDWORK) == []
    # Changing an agreed plan un-agrees it.
    fieldwork_plan_record(review=review, hypotheses="H2", activities="A")
    assert refusals(review, Stage.FIELDWORK) == [
        "The fieldwork plan has not been agreed by the team leader."
    ]


def test_the_whole_path_records_dates_authors_and_messages(rw: ReviewWorld) -> None:
    lead = rw.people.users["national_lead"]
    review = _walk_to(rw, rw.review, Stage.FOLLOW_UP)
    changes = list(StageChange.objects.filter(review=review).order_by("at"))
    assert [c.to_stage for c in changes] == STAGE_ORDER[1:]
    assert all(c.by == lead for c in changes)
    reached = dict(Milestone.objects.filter(review=review).values_list("kind", "actual"))
    assert all(reached[k] is not None for k in MilestoneKind), reached
    assert reached[MilestoneKind.ANALYSIS_END] == date(2026, 9, 18)  # the plan was agreed then
    assert [n.kind for n in review.notifications.all()] == ["notification", "draft_report"]
    assert [m.to for m in mail.outbox] == [["dcs@gateshead.example"]] * 2
    # Each move is in the audit trail of the review, with its author.
    history = list(getattr(review, "history").order_by("history_date"))  # noqa: B009
    assert [h.stage for h in history][-3:] == ["findings_meeting_held", "published", "follow_up"]
    assert history[-1].history_user == lead


def test_a_move_cannot_be_dated_before_the_last(rw: ReviewWorld) -> None:
    team_set(rw)
    review = review_advance(
        review=rw.review, to=Stage.NOTIFIED, on=date(2026, 7, 1), confirmed=True
    )
    meeting_record(
        review=review, kind=MeetingKind.SET_UP, held_on=date(2026, 6, 29), attendees="DCS",
        basis_for_planning="APA", fieldwork_issues="Safeguarding", timetable_confirmed=True,
    )  # fmt: skip
    with pytest.raises(ReviewRefused, match="before the last move"):
        review_advance(review=review, to=Stage.SET_UP, on=date(2026, 6, 30))


def test_notification_says_dates_and_what_is_asked(rw: ReviewWorld) -> None:
    team_set(rw)
    review_advance(review=rw.review, to=Stage.NOTIFIED, confirmed=True)
    message = mail.outbox[0]
    assert message.to == ["dcs@gateshead.example"]
    assert message.subject == "Joint area review of Gateshead: notification of dates"
    body = message.body
    assert "Dear Dana Director" in body
    assert "led by Lena Leader (Office for Standards in Education)" in body
    assert "Analysis week: 14 September to 18 September 2026" in body
    assert "Fieldwork: 5 October to 16 October 2026" in body
    assert "co-ordinate self-assessment material for the review team" in body
    assert "provide the key documents" in body
    assert "programme of meetings and visits" in body
    stored = rw.review.notifications.get()
    assert (stored.subject, stored.body) == (message.subject, message.body)


def _team_refusal(rw: ReviewWorld, leader: int, members: list[int], review: Any = None) -> str:
    with pytest.raises(ReviewRefused) as info:
        review_team_set(
            review=review or rw.review,
            leader=rw.pool[leader],
            members=[rw.pool[i] for i in members],
        )
    return str(info.value)


def test_team_rules(rw: ReviewWorld) -> None:
    assert "between 3 and 8 members, the leader included (this one has 2)" in _team_refusal(
        rw, 0, [6]
    )
    assert "(this one has 9)" in _team_refusal(rw, 0, [1, 2, 3, 4, 6, 7, 8, 9])
    assert "at least two bodies (this one has one)" in _team_refusal(rw, 0, [1, 2, 3])
    rw.pool[7].outcome_expertise.clear()
    rw.pool[6].outcome_expertise.clear()
    for inspector in rw.pool[:2]:
        inspector.outcome_expertise.set(inspector.outcome_expertise.exclude(code="EW"))
    assert "Nobody on the team has expertise in: Achieving economic well-being" in _team_refusal(
        rw, 0, [1, 6, 7]
    )
    assert rw.review.team.count() == 0  # nothing was saved


def test_an_inspector_cannot_be_in_two_fieldworks_at_once(rw: ReviewWorld) -> None:
    team_set(rw)
    other = review_create(
        area=rw.people.other_area, analysis_starts_on=date(2026, 9, 21),
        dcs_name="S", dcs_email="dcs@sunderland.example",
    )  # fmt: skip
    reason = _team_refusal(rw, 2, [6, 8], review=other)  # pool[6] is on Gateshead's team
    assert "CSCI Inspector 1 is already in fieldwork for the review of Gateshead" in reason
    # Fieldwork that does not overlap is fine.
    later = review_make(rw.people, analysis=date(2026, 11, 2))
    team_set(rw, later)
    assert later.team.count() == 4


@pytest.mark.django_db
def test_scope_rules(rw: ReviewWorld) -> None:
    with pytest.raises(ReviewRefused) as info:
        review_make(rw.people, scope="narrowed", outcome_codes=["SS", "XX"])
    text = str(info.value)
    assert "A narrowed review says why" in text
    assert "records the reason for its scope" in text
    assert "No such outcome: XX" in text
    narrowed = review_make(
        rw.people, scope="narrowed", narrowed_because="secretary_of_state",
        scope_reason="Requested after a serious case review.", outcome_codes=["SS"],
        local_groups={"young_offenders": "High rate of first-time entrants"},
        theme_codes=["lscb"],
    )  # fmt: skip
    assert list(narrowed.outcomes.values_list("code", flat=True)) == ["SS"]
    assert narrowed.local_groups.get().group == "young_offenders"
    with pytest.raises(ReviewRefused, match="Say why young parents are in scope"):
        review_make(rw.people, local_groups={"young_parents": " "})
