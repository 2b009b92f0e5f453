"""Who may see the shared planning calendar, the Framework's versions and the undelivered
e-mail, and who publishes a revision: role by role, and nobody on a password alone."""

import pytest

from ecm_inspect.accounts.models import Role, User
from ecm_inspect.accounts.tests.world import World, verified, world_build

INSPECTORATE: set[str] = {
    Role.NATIONAL_LEAD,
    Role.INSPECTORATE_LEAD,
    Role.REVIEW_TEAM_LEADER,
    Role.INSPECTOR,
}
ALLOWED: dict[str, set[str]] = {
    "national.view_planning": INSPECTORATE,
    "national.view_framework_versions": INSPECTORATE,
    "national.publish_framework": {Role.NATIONAL_LEAD},
    "national.view_undelivered_email": {Role.NATIONAL_LEAD},
}


@pytest.fixture
def people(db: None) -> World:
    return world_build()


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("perm", list(ALLOWED))
def test_national_permissions_by_role(people: World, perm: str, role: str) -> None:
    user = verified(User.objects.get(pk=people.users[role].pk))
    assert user.has_perm(perm) is (role in ALLOWED[perm])


@pytest.mark.parametrize("perm", list(ALLOWED))
def test_a_password_only_session_sees_nothing_national(people: World, perm: str) -> None:
    assert [u.role for u in people.users.values() if u.has_perm(perm)] == []


def test_an_inactive_national_lead_may_do_nothing(people: World) -> None:
    lead = verified(User.objects.get(pk=people.users[Role.NATIONAL_LEAD].pk))
    lead.is_active = False
    assert [p for p in ALLOWED if lead.has_perm(p)] == []
