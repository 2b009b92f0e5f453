"""Reads of joint area reviews, each asking the policy."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.rules import passed_second_factor
from ecm_inspect.core.work import WorkItem, work_item
from ecm_inspect.registry.models import Area

from .models import MilestoneKind, Review, Stage, TeamRole
from .stages import Transition, next_transition, refusals
from .timetable import MilestoneStatus, milestone_status


def reviews_for_user(*, user: Any) -> QuerySet[Review]:
    """The reviews `user` may see, as one query (the same rule as `reviews.view_review`)."""
    qs = Review.objects.select_related("area").order_by("analysis_starts_on", "area__name")
    if not passed_second_factor(user):
        return qs.none()
    if user.is_superuser or user.role in {Role.NATIONAL_LEAD, Role.INSPECTORATE_LEAD}:
        return qs
    if user.role in {Role.DCS, Role.PARTNER_CONTRIBUTOR}:
        return qs.filter(area_id=user.area_id).exclude(stage=Stage.PLANNED)
    return qs.filter(Q(team__inspector__user=user)).distinct()


def review_get_for_user(*, user: Any, review_id: int, perm: str = "reviews.view_review") -> Review:
    """The review, for someone who may see it and also holds `perm` on it (a page's or an
    endpoint's own permission); 404 for no such review, 403 otherwise."""
    review = Review.objects.select_related("area").filter(pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    if not user.has_perm("reviews.view_review", review) or not user.has_perm(perm, review):
        raise PermissionDenied
    return review


def review_for_command(review_id: int) -> Review:
    """The review a command works on, or the command's error naming the number not found."""
    from django.core.management import CommandError

    review = Review.objects.select_related("area").filter(pk=review_id).first()
    if review is None:
        raise CommandError(f"no review {review_id}")
    return review


def review_for_request(request: Any, review_id: int, perm: str = "reviews.view_review") -> Review:
    """The review a page or endpoint works on, for the person making the request."""
    return review_get_for_user(user=request.user, review_id=review_id, perm=perm)


@dataclass(frozen=True)
class Dashboard:
    review: Review
    milestones: list[MilestoneStatus]
    overdue: list[MilestoneStatus]
    next_transition: Transition | None
    refusals: list[str]
    team: list[Any]
    leader: Any


def review_dashboard(*, review: Review, today: date) -> Dashboard:
    order = list(MilestoneKind)
    statuses = sorted(
        (
            milestone_status(MilestoneKind(m.kind), m.planned, m.actual, today)
            for m in review.milestones.all()
        ),
        key=lambda s: order.index(s.kind),
    )
    transition = next_transition(review.stage)
    team = list(review.team.select_related("inspector__inspectorate"))
    return Dashboard(
        review=review,
        milestones=statuses,
        overdue=[s for s in statuses if s.overdue],
        next_transition=transition,
        refusals=refusals(review, transition.target, today) if transition else [],
        team=team,
        leader=next((m for m in team if m.role == TeamRole.LEADER), None),
    )


# -- the start page ------------------------------------------------------------------------

# Stages after which a review is no longer the team's day-to-day work.
CLOSED_STAGES = (Stage.PUBLISHED, Stage.FOLLOW_UP)


def _next_milestone(review: Review) -> Any:
    """The milestone the review's next stage move records (its planned date is when it is
    due), None after publication."""
    transition = next_transition(review.stage)
    kind = transition.milestone if transition else None
    return next((m for m in review.milestones.all() if m.kind == kind), None)


def review_work_for_user(*, user: Any, today: date) -> list[WorkItem]:
    """The open reviews whose team `user` is on, each with its next milestone; and, for those
    they lead, the stage move to make next (by its milestone's planned date). Only reviews the
    person may open (`reviews.view_review`), only moves they may make (`reviews.advance_review`)."""
    if not passed_second_factor(user):
        return []
    mine = (
        Review.objects.filter(team__inspector__user=user)
        .exclude(stage__in=CLOSED_STAGES)
        .select_related("area")
        .prefetch_related("milestones", "team__inspector")
        .distinct()
        .order_by("analysis_starts_on", "area__name")
    )
    items: list[WorkItem] = []
    for review in mine:
        if not user.has_perm("reviews.view_review", review):
            continue
        href = reverse("reviews:detail", args=[review.pk])
        milestone = _next_milestone(review)
        leads = any(
            m.role == TeamRole.LEADER and m.inspector.user_id == user.pk for m in review.team.all()
        )
        items.append(
            work_item(
                "Your reviews",
                str(review),
                href,
                today=today,
                detail=f"{'You lead it. ' if leads else ''}Stage: {review.stage_label}."
                + (
                    f" Next: {milestone.get_kind_display()}, planned for "
                    f"{milestone.planned:%-d %B %Y}."
                    if milestone
                    else ""
                ),
                is_task=False,  # a place to go: the moves are the leader's "Stage actions"
            )
        )
        transition = next_transition(review.stage)
        if leads and transition and user.has_perm("reviews.advance_review", review):
            items.append(
                work_item(
                    "Stage actions",
                    f"{transition.action}: {review.area.name}",
                    href,
                    today=today,
                    due=milestone.planned if milestone else None,
                    detail=transition.must_do,
                )
            )
    return items


def review_published_in(area: Area, year: int) -> Review | None:
    """The joint area review of the area published in the year, if any: its findings supply
    that year's APA, so the area is not assessed twice (2004 proposals, section 4)."""
    return (
        Review.objects.filter(
            area=area,
            milestones__kind=MilestoneKind.PUBLICATION,
            milestones__actual__year=year,
        )
        .order_by("-analysis_starts_on")
        .first()
    )


def dcs_named_on_latest_review(area: Area) -> str:
    """The director of children's services named on the area's latest review, or ""."""
    review = Review.objects.filter(area=area).exclude(dcs_name="").order_by("-pk").first()
    return str(review.dcs_name) if review is not None else ""
