"""A review with its team (the test team leader and inspector on it), for the evidence tests."""

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import world_build
from ecm_inspect.framework.services import framework_load
from ecm_inspect.reviews.services import national_themes_ensure, review_team_set
from ecm_inspect.reviews.tests.conftest import ReviewWorld, inspector_make, review_make


@pytest.fixture
def rw(db: None) -> ReviewWorld:
    framework_load()
    people = world_build()
    national_themes_ensure()
    pool = [
        inspector_make("Lena Leader", "OFSTED", people.users[Role.REVIEW_TEAM_LEADER]),
        inspector_make("Team Inspector", "OFSTED", people.users[Role.INSPECTOR]),
        *[inspector_make(f"CSCI Inspector {n}", "CSCI") for n in range(1, 4)],
    ]
    world = ReviewWorld(people, pool, review_make(people))
    review_team_set(review=world.review, leader=world.pool[0], members=world.pool[1:4])
    return world


def case_list(n: int = 60) -> str:
    """A valid list of `n` children, every category and age band present."""
    rows = ["reference,age,categories,services"]
    cats = ["looked_after", "child_protection", "ldd", "youth_justice", "child_in_need"]
    for i in range(n):
        services = "social care;school" if i % 3 else "social care"
        rows.append(f"R{i:03d},{(i * 7) % 18},{cats[i % 5]},{services}")
    return "\n".join(rows) + "\n"
