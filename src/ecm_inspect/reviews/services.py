"""Writes and workflows of joint area reviews: create, team, notify, meetings, fieldwork plan,
advance through the stages. Every change is in the audit trail."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ecm_inspect.core.services import email_queue
from ecm_inspect.framework.models import Outcome
from ecm_inspect.framework.selectors import framework_in_force
from ecm_inspect.registry.models import Area, Inspector

from .models import (
    FieldworkFeedback,
    FieldworkPlan,
    LinkedInspection,
    LocalGroup,
    Meeting,
    Milestone,
    MilestoneKind,
    NarrowedBecause,
    NationalTheme,
    NoMoreComments,
    Notification,
    Review,
    ReviewGroup,
    ScopeKind,
    Stage,
    StageChange,
    TeamMember,
    TeamRole,
)
from .stages import CONFIRMED, effects_for, next_transition, refusals
from .team import team_problems
from .timetable import timetable_compute


class ReviewRefused(Exception):
    """A change the rules do not allow, with every reason."""

    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = list(reasons)
        super().__init__(" ".join(self.reasons))


# National themes followed across reviews (2004 proposals, "Covering national themes").
NATIONAL_THEMES = (
    ("youth-offending-teams", "Youth offending teams"),
    ("lscb", "Local Safeguarding Children Boards"),
)


def national_themes_ensure() -> None:
    for code, name in NATIONAL_THEMES:
        NationalTheme.objects.get_or_create(code=code, defaults={"name": name})


def _stamp(obj: Any, by: Any) -> Any:
    if by is not None:
        obj._history_user = by
    return obj


# -- creating and scoping ------------------------------------------------------------------


@transaction.atomic
def review_create(
    *,
    area: Area,
    analysis_starts_on: date,
    dcs_name: str,
    dcs_email: str,
    scope: str = ScopeKind.FULL,
    outcome_codes: Iterable[str] | None = None,
    narrowed_because: str = "",
    scope_reason: str = "",
    local_groups: dict[str, str] | None = None,
    theme_codes: Iterable[str] = (),
    is_synthetic: bool = False,
    by: Any = None,
) -> Review:
    """A planned review with its scope and its timetable computed from the analysis date.

    A full review covers all five outcomes; a narrowed one names its outcomes and why (a
    Secretary of State request, or following up an earlier review). Children in care and
    children with learning difficulties and/or disabilities are always in scope; other groups
    are added from local need, each with its reason."""
    problems = []
    # The review runs under the Framework in force when its analysis starts, and keeps it.
    framework = framework_in_force(analysis_starts_on)
    outcomes = Outcome.objects.filter(version=framework)
    if scope == ScopeKind.FULL:
        if narrowed_because:
            problems.append("A full review is not narrowed: leave out the reason for narrowing.")
    elif scope == ScopeKind.NARROWED:
        if narrowed_because not in NarrowedBecause.values:
            problems.append(
                "A narrowed review says why: "
                + " or ".join(f"{c!r} ({c.label})" for c in NarrowedBecause)
                + "."
            )
        if not scope_reason.strip():
            problems.append("A narrowed review records the reason for its scope.")
        codes = list(outcome_codes or [])
        outcomes = outcomes.filter(code__in=codes)
        unknown = sorted(set(codes) - set(outcomes.values_list("code", flat=True)))
        if unknown:
            problems.append(f"No such outcome: {', '.join(unknown)}.")
        if not codes:
            problems.append("A narrowed review names the outcomes in scope.")
    else:
        problems.append(f"Scope must be 'full' or 'narrowed', not {scope!r}.")
    for group, reason in (local_groups or {}).items():
        if group not in LocalGroup.values:
            problems.append(f"No such group {group!r} (one of {', '.join(LocalGroup.values)}).")
        elif not reason.strip():
            problems.append(f"Say why {LocalGroup(group).label.lower()} are in scope.")
    themes = list(NationalTheme.objects.filter(code__in=list(theme_codes)))
    missing_themes = sorted(set(theme_codes) - {t.code for t in themes})
    if missing_themes:
        problems.append(f"No such national theme: {', '.join(missing_themes)}.")
    if problems:
        raise ReviewRefused(problems)
    review = _stamp(
        Review(
            area=area,
            analysis_starts_on=analysis_starts_on,
            scope=scope,
            narrowed_because=narrowed_because,
            scope_reason=scope_reason,
            dcs_name=dcs_name,
            dcs_email=dcs_email,
            is_synthetic=is_synthetic,
            created_by=by,
            framework_version=framework,
        ),
        by,
    )
    review.save()
    review.outcomes.set(outcomes)
    review.national_themes.set(themes)
    for group, reason in (local_groups or {}).items():
        _stamp(ReviewGroup(review=review, group=group, reason=reason), by).save()
    milestones_plan(review=review)
    return review


def milestones_plan(*, review: Review) -> list[str]:
    """(Re)plan every milestone not yet reached from the analysis date; returns the timetable's
    warnings (e.g. bank holidays stretching the six weeks)."""
    table = timetable_compute(analysis_starts_on=review.analysis_starts_on)
    for kind, planned in table.dates.items():
        milestone = Milestone.objects.filter(review=review, kind=kind).first()
        if milestone is None:
            Milestone.objects.create(review=review, kind=kind, planned=planned)
        elif milestone.actual is None and milestone.planned != planned:
            milestone.planned = planned
            milestone.save()
    return table.warnings


# -- the team ------------------------------------------------------------------------------


@transaction.atomic
def review_team_set(
    *, review: Review, leader: Inspector, members: Iterable[Inspector], by: Any = None
) -> list[TeamMember]:
    """Replace the review's team, or refuse it naming every rule it breaks."""
    others = [m for m in members if m.pk != leader.pk]
    proposed = [(leader, TeamRole.LEADER), *[(m, TeamRole.MEMBER) for m in others]]
    problems = team_problems(review=review, members=proposed)
    if problems:
        raise ReviewRefused([p[0].upper() + p[1:] + "." for p in problems])
    keep = {i.pk for i, _ in proposed}
    for old in review.team.exclude(inspector_id__in=keep):
        _stamp(old, by).delete()
    team = []
    for inspector, role in proposed:
        member = TeamMember.objects.filter(review=review, inspector=inspector).first()
        if member is None:
            member = TeamMember(review=review, inspector=inspector, role=role)
        elif member.role == role:
            team.append(member)
            continue
        member.role = role
        if role == TeamRole.LEADER:
            review.team.filter(role=TeamRole.LEADER).exclude(pk=member.pk).update(
                role=TeamRole.MEMBER
            )
        _stamp(member, by).save()
        team.append(member)
    return team


# -- meetings, plan, linked inspections ----------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    review: Review,
    kind: str,
    held_on: date,
    attendees: str,
    basis_for_planning: str = "",
    fieldwork_issues: str = "",
    timetable_confirmed: bool = False,
    changes_agreed: str = "",
    notes: str = "",
    by: Any = None,
) -> Meeting:
    """The set-up meeting (basis for planning, fieldwork issues, timetable) or the findings
    meeting (attendees, changes agreed, notes), replacing any earlier record of it."""
    meeting = Meeting.objects.filter(review=review, kind=kind).first() or Meeting(
        review=review, kind=kind
    )
    meeting.held_on = held_on
    meeting.attendees = attendees
    meeting.basis_for_planning = basis_for_planning
    meeting.fieldwork_issues = fieldwork_issues
    meeting.timetable_confirmed = timetable_confirmed
    meeting.changes_agreed = changes_agreed
    meeting.notes = notes
    _stamp(meeting, by).save()
    return meeting


@transaction.atomic
def fieldwork_plan_record(
    *,
    review: Review,
    hypotheses: str,
    activities: str,
    agree_on: date | None = None,
    by: Any = None,
) -> FieldworkPlan:
    """Write the fieldwork plan; with `agree_on`, the team leader agrees it. Changing an
    agreed plan un-agrees it."""
    plan = getattr(review, "fieldwork_plan", None) or FieldworkPlan(review=review)
    changed = plan.pk is None or (plan.hypotheses, plan.activities) != (hypotheses, activities)
    plan.hypotheses, plan.activities = hypotheses, activities
    if agree_on is not None:
        plan.agreed_on, plan.agreed_by = agree_on, by
    elif changed:
        plan.agreed_on, plan.agreed_by = None, None
    if plan.pk is not None:
        plan.version += 1
    _stamp(plan, by).save()
    return plan


@transaction.atomic
def fieldwork_feedback_record(
    *,
    review: Review,
    given_on: date,
    given_to: str,
    findings: str,
    by: Any = None,
) -> FieldworkFeedback:
    """The end of fieldwork: the team leader's headline feedback to the DCS and the emerging
    findings, replacing any earlier record of it."""
    problems = []
    leader = review.team.filter(role=TeamRole.LEADER).select_related("inspector").first()
    if leader is None:
        problems.append("The review has no team leader to give the feedback.")
    if given_on > timezone.localdate():
        problems.append("Feedback is recorded once given: the date is in the future.")
    if not given_to.strip():
        problems.append("Say who the feedback was given to (the DCS first).")
    if not findings.strip():
        problems.append("Record what was said: the emerging findings.")
    if problems:
        raise ReviewRefused(problems)
    assert leader is not None  # noqa: S101 (refused above)
    feedback = getattr(review, "fieldwork_feedback", None) or FieldworkFeedback(review=review)
    feedback.given_on, feedback.given_by = given_on, leader.inspector
    feedback.given_to, feedback.findings, feedback.recorded_by = given_to, findings, by
    _stamp(feedback, by).save()
    return feedback


@transaction.atomic
def no_more_comments_record(*, review: Review, by: Any) -> NoMoreComments:
    """The DCS (or a partner) says the area has no more comments on the draft's accuracy, so
    comments may close before their planned date. Only while comments are open."""
    if review.stage != Stage.DRAFT_SENT:
        raise ReviewRefused(["Comments on accuracy are not open: there is no draft out."])
    found = NoMoreComments.objects.filter(review=review).first()
    if found is not None:
        return found
    said = _stamp(NoMoreComments(review=review, said_by=by), by)
    said.save()
    return said


def linked_inspection_add(
    *,
    review: Review,
    title: str,
    inspectorate_id: int,
    starts_on: date,
    ends_on: date,
    findings_summary: str = "",
    by: Any = None,
) -> LinkedInspection:
    linked = LinkedInspection(
        review=review,
        title=title,
        inspectorate_id=inspectorate_id,
        starts_on=starts_on,
        ends_on=ends_on,
        findings_summary=findings_summary,
    )
    _stamp(linked, by).save()
    return linked


# -- messages ------------------------------------------------------------------------------


def message_compose(*, review: Review, template: str) -> tuple[str, str]:
    """The subject and body of a message about the review, as it would be sent now."""
    milestones = {m.kind: m for m in review.milestones.all()}
    leader = (
        review.team.filter(role=TeamRole.LEADER).select_related("inspector__inspectorate").first()
    )
    context = {"review": review, "milestones": milestones, "leader": leader}
    subject, _, text = render_to_string(template, context).strip().partition("\n")
    return subject.strip(), text.strip() + "\n"


def _send(*, review: Review, kind: str, template: str, by: Any) -> Notification:
    subject, body = message_compose(review=review, template=template)
    email = email_queue(
        to=review.dcs_email, subject=subject, body=body, purpose=f"Review {kind.replace('_', ' ')}"
    )
    return Notification.objects.create(
        review=review, kind=kind, to=review.dcs_email, subject=subject, body=body, sent_by=by,
        email=email,
    )  # fmt: skip


# -- moving through the stages -------------------------------------------------------------


def _milestone_reached(review: Review, kind: MilestoneKind, day: date | None, by: Any) -> None:
    milestone = Milestone.objects.get(review=review, kind=kind)
    milestone.actual = day
    _stamp(milestone, by).save()


_MESSAGES = {
    Stage.NOTIFIED: ("notification", "reviews/email/notification.txt"),
    Stage.DRAFT_SENT: ("draft_report", "reviews/email/draft_report.txt"),
}


@transaction.atomic
def review_advance(
    *,
    review: Review,
    to: str,
    by: Any = None,
    on: date | None = None,
    note: str = "",
    confirmed: bool = False,
) -> Review:
    """Move the review to its next stage, or refuse with every reason. Records the milestone's
    actual date (`on`, default today), the stage change and its author, and sends the message
    the stage calls for (the notification, the draft report); then what other features do on
    entering the stage (`stages.on_entering`, e.g. freezing the published report), in the same
    transaction. A move that leaves the team or cannot be undone (`stages.CONFIRMED`: notify,
    send the draft, close comments, publish) needs `confirmed=True`, given only after the
    person has seen what it will do."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    day = on or timezone.localdate()
    reasons = refusals(review, to, day)
    if not reasons and Stage(to) in CONFIRMED and not confirmed:
        reasons = [
            f"“{CONFIRMED[Stage(to)]}” needs confirming: check what it will do, then confirm."
        ]
    if reasons:
        raise ReviewRefused(reasons)
    transition = next_transition(review.stage)
    assert transition is not None  # noqa: S101 (refusals checked there is one)
    last = review.stage_changes.order_by("-on").values_list("on", flat=True).first()
    if last is not None and day < last:
        raise ReviewRefused([f"{day:%-d %B %Y} is before the last move ({last:%-d %B %Y})."])
    StageChange.objects.create(
        review=review, from_stage=review.stage, to_stage=transition.target, by=by, on=day, note=note
    )
    review.stage = transition.target
    review.version += 1
    _stamp(review, by).save()
    if transition.milestone is not None:
        _milestone_reached(review, transition.milestone, day, by)
        if transition.milestone == MilestoneKind.FIELDWORK_START:
            _milestone_reached(
                review, MilestoneKind.ANALYSIS_END, review.fieldwork_plan.agreed_on, by
            )
    if transition.target in _MESSAGES:
        kind, template = _MESSAGES[Stage(transition.target)]
        _send(review=review, kind=kind, template=template, by=by)
    for effect in effects_for(transition.target):
        effect(review, day, by)
    return review
