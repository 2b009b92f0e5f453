"""The policy's predicates: a staff role counts only for a session through the second factor."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from ecm_inspect.accounts.models import Role, User
from ecm_inspect.accounts.rules import (
    acting_on_the_server,
    has_passed_second_factor,
    is_dcs,
    is_inspector,
    is_inspectorate_lead,
    is_inspectorate_staff,
    is_national_lead,
    is_partner_contributor,
    is_review_team_leader,
    is_signed_in,
)

from .world import World, verified, world_build

ROLE_PREDICATES = {
    Role.NATIONAL_LEAD: is_national_lead,
    Role.INSPECTORATE_LEAD: is_inspectorate_lead,
    Role.REVIEW_TEAM_LEADER: is_review_team_leader,
    Role.INSPECTOR: is_inspector,
    Role.DCS: is_dcs,
    Role.PARTNER_CONTRIBUTOR: is_partner_contributor,
}


@pytest.fixture
def world(db: None) -> World:
    return world_build()


def test_a_role_counts_only_through_the_second_factor(world: World) -> None:
    for role, predicate in ROLE_PREDICATES.items():
        # As loaded from the database, or as OTPMiddleware gives a password-only session.
        plain = User.objects.get(pk=world.users[role].pk)
        password_only = User.objects.get(pk=world.users[role].pk)
        password_only.is_verified = lambda: False  # type: ignore[attr-defined]
        for user in (plain, password_only):
            assert not predicate(user), role
            assert not is_signed_in(user), role
            assert not has_passed_second_factor(user), role
            assert not is_inspectorate_staff(user), role
        user = verified(User.objects.get(pk=world.users[role].pk))
        assert predicate(user), role
        assert is_signed_in(user), role
        assert is_inspectorate_staff(user) == (role not in {Role.DCS, Role.PARTNER_CONTRIBUTOR})
    assert not is_signed_in(AnonymousUser())


def test_a_permission_asked_of_an_unverified_user_is_refused(world: World) -> None:
    lead = User.objects.get(pk=world.users[Role.INSPECTORATE_LEAD].pk)
    assert not lead.has_perm("registry.view_inspector")
    assert not lead.has_perm("registry.change_inspector", world.own_inspector)
    assert not lead.has_perm("accounts.view_user", lead)  # not even oneself
    verified(lead)
    assert lead.has_perm("registry.view_inspector")
    assert lead.has_perm("registry.change_inspector", world.own_inspector)
    assert lead.has_perm("accounts.view_user", lead)


def test_a_command_acting_as_someone_stands_in_for_their_second_factor(world: World) -> None:
    """`ecm users --by USERNAME` is run by an operator on the server: the policy decides as for
    that person through the second factor, and only because the command says so."""
    lead = User.objects.get(pk=world.users[Role.INSPECTORATE_LEAD].pk)
    assert not lead.has_perm("accounts.add_user", lead)
    assert acting_on_the_server(lead).has_perm("registry.change_inspector", world.own_inspector)
    call_command("users", "grant", world.users[Role.INSPECTOR].username, "--role",
                 "review_team_leader", "--by", lead.username)  # fmt: skip
    assert User.objects.get(pk=world.users[Role.INSPECTOR].pk).role == Role.REVIEW_TEAM_LEADER


def test_a_superuser_holds_every_permission_only_through_the_second_factor(world: World) -> None:
    """Django gives an active superuser every permission before asking the policy: not to a
    password-only session (the public's permissions still hold)."""
    boss = User.objects.create_superuser(username="boss", email="boss@example.org")
    assert not boss.has_perm("registry.view_inspector")
    assert not boss.has_perm("accounts.view_audit")
    assert boss.has_perm("framework.view_catalogue")  # public
    password_only = User.objects.get(pk=boss.pk)
    password_only.is_verified = lambda: False  # type: ignore[attr-defined]
    assert not password_only.has_perm("accounts.view_audit")
    assert acting_on_the_server(boss).has_perm("registry.view_inspector")
    assert boss.has_perm("accounts.view_audit")
    assert boss.has_perms(["accounts.view_audit", "registry.view_inspector"])
