"""Who may see and run a joint area review (built on the predicates in accounts/rules.py).

- The national lead sees and may run every review; inspectorate leads see every review (they
  supply the teams).
- The review's team sees it; its team leader runs it (scope, team, meetings, plan, stages).
- The area's director of children's services and partner contributors see their own area's
  review once it is notified, without the team's working material.
- The public sees nothing of a review until its report is published.
"""

from typing import Any

import rules

from ecm_inspect.accounts.rules import (
    has_passed_second_factor,
    is_dcs,
    is_inspectorate_lead,
    is_national_lead,
    is_partner_contributor,
    passed_second_factor,
)

from .models import Review, Stage, TeamRole


def _review_of(obj: Any) -> Review | None:
    if isinstance(obj, Review):
        return obj
    return getattr(obj, "review", None)


@rules.predicate
def is_on_review_team(user: Any, obj: Any) -> bool:
    review = _review_of(obj)
    if review is None or not passed_second_factor(user):
        return False
    return review.team.filter(inspector__user=user).exists()


@rules.predicate
def leads_the_review(user: Any, obj: Any) -> bool:
    review = _review_of(obj)
    if review is None or not passed_second_factor(user):
        return False
    return review.team.filter(inspector__user=user, role=TeamRole.LEADER).exists()


@rules.predicate
def works_in_reviewed_area(user: Any, obj: Any) -> bool:
    review = _review_of(obj)
    return review is not None and review.area_id == getattr(user, "area_id", None)


@rules.predicate
def is_notified(user: Any, obj: Any) -> bool:
    review = _review_of(obj)
    return review is not None and review.stage != Stage.PLANNED


area_staff = is_dcs | is_partner_contributor

rules.add_perm("reviews.view_review_list", has_passed_second_factor)
rules.add_perm(
    "reviews.view_review",
    is_national_lead
    | is_inspectorate_lead
    | is_on_review_team
    | (area_staff & works_in_reviewed_area & is_notified),
)
# The team's own working material (team, stage pages, fieldwork plan): not the area's.
rules.add_perm(
    "reviews.view_review_workings", is_national_lead | is_inspectorate_lead | is_on_review_team
)
rules.add_perm("reviews.add_review", is_national_lead)
rules.add_perm("reviews.change_review", is_national_lead | leads_the_review)
rules.add_perm("reviews.advance_review", is_national_lead | leads_the_review)
