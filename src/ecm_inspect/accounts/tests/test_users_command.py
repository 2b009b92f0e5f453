"""`ecm users create|list|grant`, and the demo accounts `ecm demo` makes."""

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticDevice

from ecm_inspect.accounts.demo import demo_accounts, demo_users_ensure
from ecm_inspect.accounts.models import Role, User
from ecm_inspect.accounts.services import AccountError

from .world import World, world_build


def _history(record: Any) -> Any:
    return record.history


@pytest.fixture
def world(db: None) -> World:
    return world_build()


def _run(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("users", *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_create_list_and_grant(world: World) -> None:
    out = _run(
        "create", "amara", "--role", "inspector", "--organisation", "inspectorate:HMIC",
        "--full-name", "Amara Okafor", "--password-stdin", stdin="a long enough passphrase\n",
    )  # fmt: skip
    assert "Created amara: Inspector, HM Inspectorate of Constabulary" in out
    amara = User.objects.get(username="amara")
    assert amara.check_password("a long enough passphrase")
    assert amara.organisation is not None
    assert str(amara.organisation) == "HM Inspectorate of Constabulary"

    listed = json.loads(_run("list", "--role", "inspector", "--format", "json"))
    assert {"amara", "test-inspector"} <= {row["username"] for row in listed}

    _run("grant", "amara", "--role", "review_team_leader")
    amara.refresh_from_db()
    assert amara.role == Role.REVIEW_TEAM_LEADER
    assert _history(amara).latest().role == Role.REVIEW_TEAM_LEADER  # audited


def test_bad_input_names_what_is_wrong_and_creates_nobody(world: World) -> None:
    before = User.objects.count()
    with pytest.raises(CommandError, match="no inspectorate 'NOPE'"):
        _run("create", "x", "--role", "inspector", "--organisation", "inspectorate:NOPE",
             "--password-stdin", stdin="a long enough passphrase\n")  # fmt: skip
    with pytest.raises(CommandError, match="must belong to a council or partner"):
        _run("create", "x", "--role", "dcs", "--organisation", "inspectorate:OFSTED",
             "--password-stdin", stdin="a long enough passphrase\n")  # fmt: skip
    with pytest.raises(CommandError, match="password: This password is too short"):
        _run("create", "x", "--role", "inspector", "--organisation", "inspectorate:OFSTED",
             "--password-stdin", stdin="short\n")  # fmt: skip
    assert User.objects.count() == before


def test_acting_as_someone_the_policy_decides(world: World) -> None:
    lead = world.users[Role.INSPECTORATE_LEAD].username  # Ofsted's lead
    _run("create", "ola", "--role", "inspector", "--organisation", "inspectorate:OFSTED",
         "--by", lead, "--password-stdin", stdin="a long enough passphrase\n")  # fmt: skip
    assert _history(User.objects.get(username="ola")).latest().history_user.username == lead
    with pytest.raises(CommandError, match="may not create"):
        _run("create", "cy", "--role", "inspector", "--organisation", "inspectorate:CSCI",
             "--by", lead, "--password-stdin", stdin="a long enough passphrase\n")  # fmt: skip
    with pytest.raises(CommandError, match="may not change"):
        _run("grant", "ola", "--role", "national_lead", "--by", lead)
    with pytest.raises(CommandError, match="may not create"):
        _run("create", "dee", "--role", "inspector", "--organisation", "inspectorate:OFSTED",
             "--by", world.users[Role.DCS].username,
             "--password-stdin", stdin="a long enough passphrase\n")  # fmt: skip
    assert not User.objects.filter(username__in=["cy", "dee"]).exists()


def test_demo_accounts_every_role_and_idempotent(world: World) -> None:
    demo_users_ensure()
    demo = User.objects.filter(is_demo=True)
    # Every role has a demo account; two inspectors so a review team can share its drafting.
    assert set(demo.values_list("role", flat=True)) == set(Role.values)
    assert demo.filter(role=Role.INSPECTOR).count() == 2
    history_rows = sum(_history(u).count() for u in demo)
    demo_users_ensure()
    assert sum(_history(u).count() for u in demo) == history_rows  # nothing changed

    # Every demo account signs in with its published password and a backup code.
    for account in demo_accounts():
        client = Client()
        response = client.post(
            "/sign-in/", {"username": account.username, "password": account.password}
        )
        assert response.status_code == 302, account.username
        done = client.post("/sign-in/two-factor/", {"code": account.backup_codes[0]})
        assert done.status_code == 302, account.username
        assert client.get("/account/").status_code == 200
    # Spent codes are topped up by the next run.
    demo_users_ensure()
    first = demo_accounts()[0]
    user = User.objects.get(username=first.username)
    assert (
        StaticDevice.objects.get(user=user).token_set.filter(token=first.backup_codes[0]).exists()
    )


def test_no_demo_accounts_where_they_are_turned_off(world: World) -> None:
    with override_settings(ECM_DEMO_USERS=False), pytest.raises(AccountError):
        demo_users_ensure()
    assert not User.objects.filter(is_demo=True).exists()
