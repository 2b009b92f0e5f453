"""The demo's review in fieldwork is led by the demo team leader, who can sign in and run it,
even when the review was made before the demo accounts were."""

import pytest

from ecm_inspect.accounts.demo import demo_users_ensure
from ecm_inspect.framework.services import framework_load
from ecm_inspect.registry.demo import demo_inspectors_ensure
from ecm_inspect.registry.services import areas_load, inspectorates_load
from ecm_inspect.reviews.demo import demo_reviews_ensure
from ecm_inspect.reviews.models import Review, Stage, TeamRole

pytestmark = pytest.mark.django_db


def _leader_of_sunderland() -> tuple[str, object]:
    review = Review.objects.get(is_synthetic=True, area__gss_code="E08000024")
    leader = review.team.select_related("inspector__user").get(role=TeamRole.LEADER)
    return review.stage, leader.inspector.user


def test_the_demo_team_leader_leads_the_review_in_fieldwork() -> None:
    framework_load()
    inspectorates_load()
    areas_load()
    demo_inspectors_ensure()
    demo_reviews_ensure()  # before any demo account: a made-up leader, with no account
    stage, user = _leader_of_sunderland()
    assert stage == Stage.FIELDWORK
    assert user is None
    team = Review.objects.get(area__gss_code="E08000024").team.count()

    demo_users_ensure()
    demo_reviews_ensure()
    stage, user = _leader_of_sunderland()
    assert stage == Stage.FIELDWORK
    assert getattr(user, "username", None) == "demo-team-leader"
    # The made-up leader stays on the team, as a member.
    assert Review.objects.get(area__gss_code="E08000024").team.count() == team + 1
    demo_reviews_ensure()  # and again: nothing changes
    assert Review.objects.get(area__gss_code="E08000024").team.count() == team + 1
