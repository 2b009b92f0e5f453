"""The one place that defines the stages of a joint area review and what each move needs.

A review moves one stage at a time, forward only. Each move has preconditions (guards); a
guard is given the review and the day the move is dated, and returns the reason the move is
refused, or None. Later features add their own guards for a move with
`precondition(Stage.PUBLISHED)` (e.g. "every in-scope judgement recorded and signed off by the
team leader"), and what entering a stage does with `on_entering(Stage.PUBLISHED)` (e.g. freeze
the report), so the rules stay here and the features stay in their apps.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .models import (
    STAGE_ORDER,
    Meeting,
    MeetingKind,
    Milestone,
    MilestoneKind,
    NoMoreComments,
    Review,
    Stage,
    TeamRole,
)
from .team import team_problems

Guard = Callable[[Review, date], str | None]
# What a confirmed move will do, for its "check your answers" page: (review, day) -> lines.
Consequence = Callable[[Review, date], list["Line"]]
# What entering a stage does beyond the move itself: (review, day, by) -> None. May raise the
# review's refusal; it runs in the move's transaction, so a refusal undoes the move.
Effect = Callable[[Review, date, Any], None]


@dataclass(frozen=True)
class Line:
    """One line of a confirmation page: what will happen (`still_open` False) or what is still
    open when it happens (True)."""

    key: str
    value: str
    still_open: bool = False


@dataclass(frozen=True)
class Transition:
    source: Stage
    target: Stage
    action: str  # what the team leader does, as a button says it
    milestone: MilestoneKind | None  # whose actual date the move records
    guards: tuple[Guard, ...]
    must_do: str  # what must be done before the move, for the stage page


# -- guards --------------------------------------------------------------------------------


def _team_rules_hold(review: Review, on: date) -> str | None:
    """The team keeps the rules (size, bodies, expertise, no double booking)."""
    members = [(m.inspector, m.role) for m in review.team.select_related("inspector")]
    problems = team_problems(review=review, members=members)
    return "The team breaks its rules: " + "; ".join(problems) + "." if problems else None


def _scope_recorded(review: Review, on: date) -> str | None:
    """The scope is recorded."""
    if not review.outcomes.exists():
        return "No outcome is in scope: record the review's scope."
    return None


def _dcs_known(review: Review, on: date) -> str | None:
    """There is a DCS (or nominated officer) to notify."""
    if not review.dcs_email:
        return "There is no director of children's services (or nominated officer) to notify."
    return None


def _planned(review: Review, kind: MilestoneKind) -> date | None:
    return (
        Milestone.objects.filter(review=review, kind=kind).values_list("planned", flat=True).first()
    )


def _fieldwork_over(review: Review, on: date) -> str | None:
    """Fieldwork has run to its planned end."""
    end = _planned(review, MilestoneKind.FIELDWORK_END)
    if end is not None and on < end:
        return (
            f"Fieldwork is planned to end on {end:%-d %B %Y}: the findings cannot be agreed on "
            f"{on:%-d %B %Y}, before it ends."
        )
    return None


def _headline_feedback_given(review: Review, on: date) -> str | None:
    """The headline feedback to the DCS and the emerging findings are recorded."""
    feedback = getattr(review, "fieldwork_feedback", None)
    if feedback is None:
        return (
            "The headline feedback to the director of children's services at the end of "
            "fieldwork is not recorded yet."
        )
    if feedback.given_on > on:
        return (
            f"The headline feedback is recorded as given on {feedback.given_on:%-d %B %Y}, "
            f"after {on:%-d %B %Y}."
        )
    return None


def comment_period_over(review: Review, on: date) -> str | None:
    """The accuracy-comment period has run to its planned close, or the area has said it has no
    more comments."""
    close = _planned(review, MilestoneKind.COMMENTS_CLOSE)
    if close is None or on >= close or NoMoreComments.objects.filter(review=review).exists():
        return None
    return (
        f"Accuracy comments are open until {close:%-d %B %Y}, unless the director of "
        f"children's services says the area has no more comments: {on:%-d %B %Y} is too early."
    )


def _meeting_recorded(kind: MeetingKind) -> Guard:
    def guard(review: Review, on: date) -> str | None:
        meeting = Meeting.objects.filter(review=review, kind=kind).first()
        if meeting is None:
            return f"The {kind.label.lower()} is not recorded yet."
        if meeting.held_on > on:
            return (
                f"The {kind.label.lower()} is recorded as held on {meeting.held_on:%-d %B %Y}, "
                f"after {on:%-d %B %Y}."
            )
        if not meeting.attendees.strip():
            return f"The {kind.label.lower()} does not say who attended."
        if kind == MeetingKind.SET_UP:
            missing = [
                label
                for label, done in (
                    ("the basis for planning the review programme", meeting.basis_for_planning),
                    ("the issues for fieldwork", meeting.fieldwork_issues),
                    ("the timetable", meeting.timetable_confirmed),
                )
                if not done
            ]
            if missing:
                return "The set-up meeting has not confirmed " + ", ".join(missing) + "."
        return None

    guard.__name__ = f"{kind}_meeting_recorded"
    guard.__doc__ = f"The {kind.label.lower()} is recorded with what it confirmed."
    return guard


def _fieldwork_plan_agreed(review: Review, on: date) -> str | None:
    """A fieldwork plan, agreed by the team leader."""
    plan = getattr(review, "fieldwork_plan", None)
    if plan is None:
        return "Fieldwork cannot start without a fieldwork plan."
    if plan.agreed_on is None:
        return "The fieldwork plan has not been agreed by the team leader."
    return None


def _has_team_leader(review: Review, on: date) -> str | None:
    """The review has a team leader."""
    if not review.team.filter(role=TeamRole.LEADER).exists():
        return "The review has no team leader."
    return None


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Stage.PLANNED,
        Stage.NOTIFIED,
        "Send the notification",
        MilestoneKind.NOTIFICATION,
        (_scope_recorded, _dcs_known, _team_rules_hold),
        "Record the scope and the team; then notify the director of children's services of "
        "the dates and what the review asks of the area.",
    ),
    Transition(
        Stage.NOTIFIED,
        Stage.SET_UP,
        "Record that the review is set up",
        MilestoneKind.SET_UP_MEETING,
        (_meeting_recorded(MeetingKind.SET_UP),),
        "Hold the set-up meeting with the DCS and record what it confirmed: the basis for "
        "planning, the issues for fieldwork and the timetable.",
    ),
    Transition(
        Stage.SET_UP,
        Stage.ANALYSIS,
        "Start the analysis week",
        MilestoneKind.ANALYSIS_START,
        (_team_rules_hold,),
        "Consult children and young people; gather the evidence for analysis.",
    ),
    Transition(
        Stage.ANALYSIS,
        Stage.FIELDWORK,
        "Start fieldwork",
        MilestoneKind.FIELDWORK_START,
        (_fieldwork_plan_agreed,),
        "Agree the findings that need no fieldwork, the hypotheses to test and a fieldwork "
        "plan, agreed by the team leader.",
    ),
    Transition(
        Stage.FIELDWORK,
        Stage.FINDINGS_AGREED,
        "Record that the findings are agreed",
        MilestoneKind.FIELDWORK_END,
        (_has_team_leader, _fieldwork_over, _headline_feedback_given),
        "Gather the evidence; at the end of fieldwork give headline feedback to the DCS and "
        "record it with the emerging findings.",
    ),
    Transition(
        Stage.FINDINGS_AGREED,
        Stage.DRAFT_SENT,
        "Send the draft report for accuracy comments",
        MilestoneKind.DRAFT_SENT,
        (),
        "Write the draft report; send it to the DCS within eight weeks of the end of fieldwork.",
    ),
    Transition(
        Stage.DRAFT_SENT,
        Stage.COMMENTS_CLOSED,
        "Close accuracy comments",
        MilestoneKind.COMMENTS_CLOSE,
        (comment_period_over,),
        "The DCS co-ordinates written comments on accuracy from the organisations involved.",
    ),
    Transition(
        Stage.COMMENTS_CLOSED,
        Stage.FINDINGS_MEETING_HELD,
        "Record the findings meeting",
        MilestoneKind.FINDINGS_MEETING,
        (_meeting_recorded(MeetingKind.FINDINGS),),
        "Meet senior officers and members of the local strategic partnership to discuss the "
        "findings.",
    ),
    Transition(
        Stage.FINDINGS_MEETING_HELD,
        Stage.PUBLISHED,
        "Publish the report",
        MilestoneKind.PUBLICATION,
        (comment_period_over,),
        "Publish the report, about six weeks after the draft: it is frozen as it stands and "
        "made public.",
    ),
    Transition(
        Stage.PUBLISHED,
        Stage.FOLLOW_UP,
        "Start follow-up",
        None,
        (),
        "The area sends its statement of proposed action; findings are followed up.",
    ),
)

# The moves that send something outside the team or cannot be undone: each needs the person to
# see what it will do ("check your answers") and confirm (STYLE, "Pages people can trust").
CONFIRMED: dict[Stage, str] = {
    Stage.NOTIFIED: "Send the notification",
    Stage.DRAFT_SENT: "Send the draft report for accuracy comments",
    Stage.COMMENTS_CLOSED: "Close accuracy comments",
    Stage.PUBLISHED: "Publish the report",
}

_BY_SOURCE = {t.source: t for t in TRANSITIONS}
_EXTRA_GUARDS: dict[Stage, list[Guard]] = {}
_EFFECTS: dict[Stage, list[Effect]] = {}
_CONSEQUENCES: dict[Stage, list[Consequence]] = {}


def precondition(target: Stage) -> Callable[[Guard], Guard]:
    """Register a further guard on the move into `target` (used by later features)."""

    def register(guard: Guard) -> Guard:
        _EXTRA_GUARDS.setdefault(target, []).append(guard)
        return guard

    return register


def on_entering(target: Stage) -> Callable[[Effect], Effect]:
    """Register what entering `target` does (used by later features), after the guards pass."""

    def register(effect: Effect) -> Effect:
        if effect not in _EFFECTS.setdefault(target, []):
            _EFFECTS[target].append(effect)
        return effect

    return register


def on_confirming(target: Stage) -> Callable[[Consequence], Consequence]:
    """Register what the confirmation page of the move into `target` says it will do (used by
    the features whose effects the move triggers, e.g. what publication makes public)."""

    def register(consequence: Consequence) -> Consequence:
        if consequence not in _CONSEQUENCES.setdefault(target, []):
            _CONSEQUENCES[target].append(consequence)
        return consequence

    return register


def consequences(review: Review, target: Stage, day: date) -> list[Line]:
    return [line for c in _CONSEQUENCES.get(target, []) for line in c(review, day)]


def effects_for(target: Stage) -> list[Effect]:
    return list(_EFFECTS.get(target, []))


def next_transition(stage: str) -> Transition | None:
    return _BY_SOURCE.get(Stage(stage))


def guards_for(transition: Transition) -> list[Guard]:
    return [*transition.guards, *_EXTRA_GUARDS.get(transition.target, [])]


def refusals(review: Review, target: str, on: date | None = None) -> list[str]:
    """Why `review` cannot move to `target` on `on` (default today): empty if it can."""
    from django.utils import timezone

    today = timezone.localdate()
    day = on or today
    current = Stage(review.stage)
    try:
        wanted = Stage(target)
    except ValueError:
        return [f"There is no stage {target!r}."]
    transition = next_transition(current)
    if transition is None:
        return [f"The review is in {current.label.lower()}, its last stage."]
    if wanted != transition.target:
        if STAGE_ORDER.index(wanted) <= STAGE_ORDER.index(current):
            return [
                f"The review is already in {current.label.lower()}; it cannot go back to "
                f"{wanted.label.lower()}."
            ]
        return [
            f"A review moves one stage at a time: from {current.label.lower()} the next stage "
            f"is {transition.target.label.lower()}, not {wanted.label.lower()}."
        ]
    future = (
        [f"A move is recorded once it has happened: {day:%-d %B %Y} is in the future."]
        if day > today
        else []
    )
    return future + [
        reason for guard in guards_for(transition) if (reason := guard(review, day)) is not None
    ]
