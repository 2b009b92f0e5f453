"""The rules a review team must keep (2004 proposals, "Stages"), checked when the team is set
and before fieldwork starts."""

from collections.abc import Sequence
from datetime import date

from django.conf import settings

from ecm_inspect.registry.models import Inspector

from .models import Milestone, MilestoneKind, Review, TeamMember, TeamRole


def _fieldwork_window(review: Review) -> tuple[date, date] | None:
    dates = dict(
        Milestone.objects.filter(
            review=review, kind__in=[MilestoneKind.FIELDWORK_START, MilestoneKind.FIELDWORK_END]
        ).values_list("kind", "planned")
    )
    if len(dates) < 2:
        return None
    return dates[MilestoneKind.FIELDWORK_START], dates[MilestoneKind.FIELDWORK_END]


def team_problems(*, review: Review, members: Sequence[tuple[Inspector, str]]) -> list[str]:
    """Every rule a proposed team breaks (2004 proposals, "Stages": "between three and eight
    members ... inspectors from at least two bodies"; "a team leader, who may be from any of
    the commissions and inspectorates"), or an empty list."""
    problems: list[str] = []
    smallest, largest = settings.ECM_REVIEW_TEAM_MIN, settings.ECM_REVIEW_TEAM_MAX
    leaders = [i for i, role in members if role == TeamRole.LEADER]
    if len(leaders) != 1:
        problems.append(f"a team has exactly one team leader (this one has {len(leaders)})")
    size = len(members)
    if not smallest <= size <= largest:
        problems.append(
            f"a team has between {smallest} and {largest} members, the leader included "
            f"(this one has {size})"
        )
    bodies = {i.inspectorate_id for i, _ in members}
    if members and len(bodies) < 2:
        problems.append("a team has inspectors from at least two bodies (this one has one)")
    inactive = [i.full_name for i, _ in members if not i.is_active]
    if inactive:
        problems.append(f"not available for inspection work: {', '.join(inactive)}")
    covered = {o.code for i, _ in members for o in i.outcome_expertise.all()}
    needed = {o.code: o.title for o in review.outcomes.all()} if review.pk else {}
    gaps = [title for code, title in needed.items() if code not in covered]
    if members and gaps:
        problems.append(f"nobody on the team has expertise in: {', '.join(gaps)}")
    window = _fieldwork_window(review) if review.pk else None
    if window is not None:
        start, end = window
        for inspector, _ in members:
            clash = (
                TeamMember.objects.filter(inspector=inspector)
                .exclude(review=review)
                .filter(
                    review__milestones__kind=MilestoneKind.FIELDWORK_START,
                    review__milestones__planned__lte=end,
                )
                .filter(
                    review__milestones__kind=MilestoneKind.FIELDWORK_END,
                    review__milestones__planned__gte=start,
                )
                .select_related("review__area")
                .first()
            )
            if clash is not None:
                problems.append(
                    f"{inspector.full_name} is already in fieldwork for the review of "
                    f"{clash.review.area.name} at the same time"
                )
    return problems
