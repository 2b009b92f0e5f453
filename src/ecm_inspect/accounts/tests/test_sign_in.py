"""Signing in: password, then the second factor; throttling; demo accounts."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ecm_inspect.accounts.models import Role

from .world import BACKUP_CODE, PASSWORD, World, client_for, world_build


@pytest.fixture
def world(db: None) -> World:
    return world_build()


def _sign_in(client: Client, username: str, password: str = PASSWORD, next_url: str = "/audit/"):
    return client.post(
        reverse("accounts:sign-in"),
        {"username": username, "password": password, "next": next_url},
    )


def test_a_password_alone_does_not_open_staff_pages(world: World) -> None:
    lead = world.users[Role.NATIONAL_LEAD]
    client = Client()
    response = _sign_in(client, lead.username)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))
    # Signed in with the password only: every staff page and API sends them to the second factor.
    for url in ("/audit/", "/inspectors/", "/account/"):
        page = client.get(url)
        assert page.status_code == 302
        assert page["Location"].startswith("/sign-in/two-factor/"), url
    assert client.get("/api/accounts/me/").status_code == 401


def test_backup_code_completes_sign_in_once(world: World) -> None:
    lead = world.users[Role.NATIONAL_LEAD]
    client = Client()
    _sign_in(client, lead.username)
    response = client.post(reverse("accounts:two-factor"), {"code": BACKUP_CODE, "next": "/audit/"})
    assert response.status_code == 302
    assert response["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200
    assert client.get("/api/accounts/me/").json()["role"] == "national_lead"
    # The code is spent: a second session cannot use it.
    assert not StaticToken.objects.filter(token=BACKUP_CODE, device__user=lead).exists()
    other = Client()
    _sign_in(other, lead.username)
    again = other.post(reverse("accounts:two-factor"), {"code": BACKUP_CODE})
    assert again.status_code == 200
    assert "wrong or has been used" in again.content.decode()
    assert other.get("/audit/").status_code == 302


def _captured(client: Client) -> Client:
    """Another browser holding `client`'s session cookie as it is now (e.g. copied off a
    shared machine between the password and the code)."""
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return thief


def test_the_session_id_changes_at_the_second_factor(world: World) -> None:
    """Issue 17, finding 8: a session id captured before the second factor is useless after."""
    lead = world.users[Role.NATIONAL_LEAD]
    client = Client()
    _sign_in(client, lead.username)
    before = client.session.session_key
    thief = _captured(client)
    client.post(reverse("accounts:two-factor"), {"code": BACKUP_CODE, "next": "/audit/"})
    assert client.session.session_key != before
    assert client.get("/audit/").status_code == 200
    assert thief.get("/audit/")["Location"].startswith("/sign-in/")  # not even password-only
    assert thief.get("/api/accounts/me/").status_code == 401


def test_the_session_id_changes_when_an_app_is_set_up(world: World) -> None:
    user = world.users[Role.INSPECTOR]
    StaticDevice.objects.filter(user=user).delete()
    client = Client()
    _sign_in(client, user.username)
    client.get(reverse("accounts:two-factor-setup"))
    before = client.session.session_key
    thief = _captured(client)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    done = client.post(reverse("accounts:two-factor-setup"), {"code": code})
    assert "Your backup codes" in done.content.decode()
    assert client.session.session_key != before
    assert client.get("/inspectors/").status_code == 200
    assert thief.get("/inspectors/")["Location"].startswith("/sign-in/")


def test_a_wrong_code_is_refused(world: World) -> None:
    client = Client()
    _sign_in(client, world.users[Role.INSPECTOR].username)
    response = client.post(reverse("accounts:two-factor"), {"code": "00000000"})
    assert response.status_code == 200
    assert client.get("/inspectors/").status_code == 302


def test_first_sign_in_sets_up_an_authenticator_app(world: World) -> None:
    user = world.users[Role.INSPECTOR]
    StaticDevice.objects.filter(user=user).delete()
    client = Client()
    response = _sign_in(client, user.username, next_url="/inspectors/")
    assert response["Location"].startswith(reverse("accounts:two-factor-setup"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # the QR code, drawn inline
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("accounts:two-factor-setup"), {"code": "000000"})
    assert "does not match" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a moment; don't wait here
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    done = client.post(reverse("accounts:two-factor-setup"), {"code": code, "next": "/inspectors/"})
    assert done.status_code == 200
    assert "Your backup codes" in done.content.decode()
    assert TOTPDevice.objects.get(user=user).confirmed
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get("/inspectors/").status_code == 200


def test_setting_up_a_new_app_cannot_get_round_an_existing_factor(world: World) -> None:
    user = world.users[Role.INSPECTOR]
    client = client_for(user, verified=False)
    response = client.get(reverse("accounts:two-factor-setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))
    assert not TOTPDevice.objects.filter(user=user).exists()


@override_settings(AXES_FAILURE_LIMIT=5)
def test_sign_in_is_throttled_after_five_wrong_passwords(world: World) -> None:
    user = world.users[Role.DCS]
    client = Client()
    for _ in range(4):
        response = _sign_in(client, user.username, password="wrong password")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    locked = _sign_in(client, user.username, password="wrong password")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    # Locked out: even the right password is refused now.
    right = _sign_in(client, user.username)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another person is not affected.
    other = _sign_in(Client(), world.users[Role.INSPECTOR].username)
    assert other.status_code == 302


def test_open_redirects_are_refused(world: World) -> None:
    response = _sign_in(Client(), world.users[Role.DCS].username, next_url="https://evil.example/")
    assert "evil.example" not in response["Location"]


def test_demo_accounts_cannot_sign_in_where_they_are_turned_off(world: World) -> None:
    user = world.users[Role.DCS]
    user.is_demo = True
    user.save()
    with override_settings(ECM_DEMO_USERS=False):
        response = _sign_in(Client(), user.username)
    assert response.status_code == 200
    assert "Demo accounts cannot sign in here" in response.content.decode()
    with override_settings(ECM_DEMO_USERS=True):
        assert _sign_in(Client(), user.username).status_code == 302


def test_admin_needs_the_second_factor(world: World) -> None:
    boss = world.users[Role.NATIONAL_LEAD]
    boss.is_staff = boss.is_superuser = True
    boss.save()
    assert client_for(boss, verified=False).get("/admin/").status_code == 302
    assert client_for(boss).get("/admin/").status_code == 200


def test_pages_carry_a_strict_content_security_policy(world: World) -> None:
    response = Client().get("/sign-in/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
