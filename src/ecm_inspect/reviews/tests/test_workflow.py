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
from ecm_inspect.reviews.stages import next_transition, refusals

from .conftest import ReviewWorld, review_make, team_set


def _walk_to(rw: ReviewWorld, review: Review, stage: Stage, dated: bool = False) -> Review:
    """Do what each stage needs and move on, until `stage`: today, or `dated` on each
    milestone's planned day."""
    team_set(rw, review)
    planned = dict(Milestone.objects.filter(review=review).values_list("kind", "planned"))
    while review.stage != stage:
        if review.stage == Stage.NOTIFIED:
            meeting_record(
                review=review, kind=MeetingKind.SET_UP, held_on=date(2026, 8, 14),
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
        transition = next_transition(review.stage)
        on = (
            planned[transition.milestone] if dated and transition and transition.milestone else None
        )
        review = review_advance(
            review=review, to=target, by=rw.people.users["national_lead"], confirmed=True, on=on
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


def test_the_whole_path_records_dates_authors_and_messages(
    rw: ReviewWorld, django_capture_on_commit_callbacks: Any
) -> None:
    lead = rw.people.users["national_lead"]
    with django_capture_on_commit_callbacks(execute=True):
        review = _walk_to(rw, rw.review, Stage.FOLLOW_UP)
    changes = list(StageChange.objects.filter(review=review).order_by("at"))
    assert [c.to_stage for c in changes] == STAGE_ORDER[1:]
    assert all(c.by == lead for c in changes)
    reached = dict(Milestone.objects.filter(review=review).values_list("kind", "actual"))
    assert all(reached[k] is not None for k in MilestoneKind), reached
    assert reached[MilestoneKind.ANALYSIS_END] == date(2026, 9, 18)  # the plan was agreed then
    assert [n.kind for n in review.notifications.all()] == ["notification", "draft_report"]
    assert [m.to for m in mail.outbox] == [["dcs@gateshead.example"]] * 2
    assert [n.email and n.email.status for n in review.notifications.all()] == ["sent", "sent"]
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


def test_notification_says_dates_and_what_is_asked(
    rw: ReviewWorld, django_capture_on_commit_callbacks: Any
) -> None:
    team_set(rw)
    with django_capture_on_commit_callbacks(execute=True):
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


# -- moves that need confirming, dates, the end of fieldwork, the comment period -----------


@pytest.mark.parametrize(
    "stage",
    [Stage.PLANNED, Stage.FINDINGS_AGREED, Stage.DRAFT_SENT, Stage.FINDINGS_MEETING_HELD],
)
def test_the_four_moves_that_leave_the_team_need_confirming(rw: ReviewWorld, stage: Stage) -> None:
    review = _walk_to(rw, rw.review, stage)
    if stage == Stage.DRAFT_SENT:
        no_more_comments_record(review=review, by=None)
    target = STAGE_ORDER[STAGE_ORDER.index(stage) + 1]
    assert refusals(review, target) == []
    with pytest.raises(ReviewRefused, match="needs confirming"):
        review_advance(review=review, to=target)
    review.refresh_from_db()
    assert review.stage == stage
    assert review_advance(review=review, to=target, confirmed=True).stage == target


def test_other_moves_need_no_confirming(rw: ReviewWorld) -> None:
    review = _walk_to(rw, rw.review, Stage.SET_UP)
    assert review_advance(review=review, to=Stage.ANALYSIS).stage == Stage.ANALYSIS


def test_no_move_is_dated_in_the_future(rw: ReviewWorld) -> None:
    team_set(rw)
    with pytest.raises(ReviewRefused, match="is in the future"):
        review_advance(review=rw.review, to=Stage.NOTIFIED, on=date(2099, 1, 1), confirmed=True)
    assert (
        review_advance(
            review=rw.review, to=Stage.NOTIFIED, on=date(2026, 7, 1), confirmed=True
        ).stage
        == Stage.NOTIFIED
    )


def test_findings_are_not_agreed_before_fieldwork_ends_nor_without_headline_feedback(
    rw: ReviewWorld,
) -> None:
    review = _walk_to(rw, rw.review, Stage.FIELDWORK, dated=True)
    end = Milestone.objects.get(review=review, kind=MilestoneKind.FIELDWORK_END).planned
    assert end == date(2026, 10, 16)
    early = refusals(review, Stage.FINDINGS_AGREED, date(2026, 10, 9))
    assert (
        "Fieldwork is planned to end on 16 October 2026: the findings cannot be agreed on "
        "9 October 2026, before it ends." in early
    )
    assert any("headline feedback" in r for r in early)
    fieldwork_feedback_record(
        review=review, given_on=date(2026, 10, 16), given_to="Dana Director",
        findings="Safeguarding is adequate.", by=None,
    )  # fmt: skip
    assert review.fieldwork_feedback.given_by == rw.pool[0]  # the team leader
    assert refusals(review, Stage.FINDINGS_AGREED, date(2026, 10, 9)) == [
        "Fieldwork is planned to end on 16 October 2026: the findings cannot be agreed on "
        "9 October 2026, before it ends.",
        "The headline feedback is recorded as given on 16 October 2026, after 9 October 2026.",
    ]
    assert refusals(review, Stage.FINDINGS_AGREED, date(2026, 10, 16)) == []
    with pytest.raises(ReviewRefused, match="before it ends"):
        review_advance(review=review, to=Stage.FINDINGS_AGREED, on=date(2026, 10, 15))
    moved = review_advance(review=review, to=Stage.FINDINGS_AGREED, on=date(2026, 10, 16))
    assert moved.stage == Stage.FINDINGS_AGREED


def test_headline_feedback_needs_who_and_what(rw: ReviewWorld) -> None:
    team_set(rw)
    with pytest.raises(ReviewRefused) as info:
        fieldwork_feedback_record(
            review=rw.review, given_on=date(2099, 1, 1), given_to=" ", findings=""
        )
    assert info.value.reasons == [
        "Feedback is recorded once given: the date is in the future.",
        "Say who the feedback was given to (the DCS first).",
        "Record what was said: the emerging findings.",
    ]


def test_comments_close_at_their_planned_date_unless_the_area_has_no_more(
    rw: ReviewWorld,
) -> None:
    review = _walk_to(rw, rw.review, Stage.FINDINGS_AGREED, dated=True)
    review = review_advance(
        review=review, to=Stage.DRAFT_SENT, on=date(2026, 11, 2), confirmed=True
    )
    too_early = (
        "Accuracy comments are open until 29 December 2026, unless the director of children's "
        "services says the area has no more comments: 3 November 2026 is too early."
    )
    assert refusals(review, Stage.COMMENTS_CLOSED, date(2026, 11, 3)) == [too_early]
    with pytest.raises(ReviewRefused, match="is too early"):
        review_advance(
            review=review, to=Stage.COMMENTS_CLOSED, on=date(2026, 11, 3), confirmed=True
        )
    said = no_more_comments_record(review=review, by=rw.people.users["dcs"])
    assert (said.said_by, said.said_at is not None) == (rw.people.users["dcs"], True)
    assert refusals(review, Stage.COMMENTS_CLOSED, date(2026, 11, 3)) == []
    review = review_advance(
        review=review, to=Stage.COMMENTS_CLOSED, on=date(2026, 11, 3), confirmed=True
    )
    with pytest.raises(ReviewRefused, match="not open"):
        no_more_comments_record(review=review, by=rw.people.users["dcs"])


def test_the_findings_meeting_is_recorded_with_its_own_fields(rw: ReviewWorld) -> None:
    review = _walk_to(rw, rw.review, Stage.COMMENTS_CLOSED)
    assert refusals(review, Stage.FINDINGS_MEETING_HELD) == [
        "The findings meeting is not recorded yet."
    ]
    meeting = meeting_record(
        review=review, kind=MeetingKind.FINDINGS, held_on=date(2026, 12, 2),
        attendees="Chief executive", changes_agreed="Paragraph S1 reworded.",
    )  # fmt: skip
    assert meeting.changes_agreed == "Paragraph S1 reworded."
    assert refusals(review, Stage.FINDINGS_MEETING_HELD, date(2026, 12, 1)) == [
        "The findings meeting is recorded as held on 2 December 2026, after 1 December 2026."
    ]
    assert refusals(review, Stage.FINDINGS_MEETING_HELD, date(2026, 12, 2)) == []
