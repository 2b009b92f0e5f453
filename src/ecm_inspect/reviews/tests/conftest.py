"""A review world: the Framework, the ten inspectorates, two areas, an inspector pool with
expertise in every outcome, and the test users of accounts' world (team leader = an inspector
linked to the review team leader user)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import World, world_build
from ecm_inspect.framework.models import Outcome
from ecm_inspect.framework.services import framework_load
from ecm_inspect.registry.models import Inspector, Inspectorate, InspectorGrade
from ecm_inspect.reviews.models import Review
from ecm_inspect.reviews.services import national_themes_ensure, review_create, review_team_set


@dataclass
class ReviewWorld:
    people: World
    pool: list[Inspector]  # 0 = the team leader (linked to the review team leader user)
    review: Review


def inspector_make(name: str, body: str, user: Any = None) -> Inspector:
    inspector = Inspector.objects.create(
        full_name=name,
        inspectorate=Inspectorate.objects.get(code=body),
        grade=InspectorGrade.LEAD,
        user=user,
    )
    inspector.outcome_expertise.set(Outcome.objects.filter(version__code="2005"))
    return inspector


def review_make(world: World, analysis: date = date(2026, 9, 14), **kwargs: object) -> Review:
    return review_create(
        area=world.own_area,
        analysis_starts_on=analysis,
        dcs_name="Dana Director",
        dcs_email="dcs@gateshead.example",
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def rw(db: None) -> ReviewWorld:
    framework_load()
    people = world_build()
    national_themes_ensure()
    pool = [
        inspector_make("Lena Leader", "OFSTED", people.users[Role.REVIEW_TEAM_LEADER]),
        inspector_make("Team Inspector", "OFSTED", people.users[Role.INSPECTOR]),
        *[inspector_make(f"Ofsted Inspector {n}", "OFSTED") for n in range(1, 5)],
        *[inspector_make(f"CSCI Inspector {n}", "CSCI") for n in range(1, 6)],
    ]
    review = review_make(people)
    return ReviewWorld(people, pool, review)


def team_set(rw: ReviewWorld, review: Review | None = None) -> None:
    """A valid team: the leader, the team inspector and two CSCI inspectors."""
    review_team_set(
        review=review or rw.review, leader=rw.pool[0], members=[rw.pool[1], rw.pool[6], rw.pool[7]]
    )


@pytest.fixture(autouse=True)
def _workflow_rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check the workflow's own preconditions; features above it (the report)
    add theirs with `precondition`, and test them in their own apps."""
    from ecm_inspect.reviews import stages

    monkeypatch.setattr(stages, "_EXTRA_GUARDS", {})
    monkeypatch.setattr(stages, "_EFFECTS", {})
