"""Writes for accounts: users and their roles, the second factor, and short-lived download
links for audited exports (the demo's accounts: demo.py)."""

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ecm_inspect.core.concurrency import record_update
from ecm_inspect.registry.models import (
    Area,
    Inspectorate,
    PartnerBody,
)

from .models import (
    AREA_ROLES,
    INSPECTORATE_ROLES,
    DownloadLink,
    Organisation,
    OrganisationKind,
    Role,
    User,
)


class AccountError(Exception):
    """A request about users that cannot be carried out, with the reason."""


# -- organisations -------------------------------------------------------------------------


def organisation_for(spec: str) -> Organisation:
    """The organisation named by `inspectorate:CODE`, `council:GSS_CODE` or
    `partner:GSS_CODE:PARTNER NAME`, created on first use."""
    kind, _, rest = spec.partition(":")
    if kind == "inspectorate":
        body = Inspectorate.objects.filter(code__iexact=rest).first()
        if body is None:
            codes = ", ".join(Inspectorate.objects.values_list("code", flat=True)) or "none loaded"
            raise AccountError(f"no inspectorate {rest!r} (known: {codes})")
        org, _ = Organisation.objects.get_or_create(
            kind=OrganisationKind.INSPECTORATE, inspectorate=body
        )
        return org
    if kind in {"council", "partner"}:
        gss, _, partner_name = rest.partition(":")
        area = Area.objects.filter(gss_code__iexact=gss).first()
        if area is None:
            raise AccountError(f"no area with GSS code {gss!r}")
        if kind == "council":
            org, _ = Organisation.objects.get_or_create(kind=OrganisationKind.COUNCIL, area=area)
            return org
        partner = PartnerBody.objects.filter(area=area, name__iexact=partner_name).first()
        if partner is None:
            raise AccountError(f"{area} has no partner body named {partner_name!r}")
        org, _ = Organisation.objects.get_or_create(
            kind=OrganisationKind.PARTNER, area=area, partner=partner
        )
        return org
    raise AccountError(
        f"organisation {spec!r} must be inspectorate:CODE, council:GSS_CODE or "
        "partner:GSS_CODE:NAME"
    )


def _check_role_fits(role: str, organisation: Organisation | None) -> None:
    if role in INSPECTORATE_ROLES and (
        organisation is None or organisation.kind != OrganisationKind.INSPECTORATE
    ):
        raise AccountError(f"a {Role(role).label.lower()} must belong to an inspectorate")
    if role in AREA_ROLES and (
        organisation is None or organisation.kind == OrganisationKind.INSPECTORATE
    ):
        raise AccountError(f"a {Role(role).label.lower()} must belong to a council or partner")


# -- users ---------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    organisation: Organisation | None,
    password: str,
    full_name: str = "",
    email: str = "",
    is_demo: bool = False,
    by: User | None = None,
) -> User:
    if role not in Role.values:
        raise AccountError(f"unknown role {role!r} (one of {', '.join(Role.values)})")
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(f"there is already a user called {username!r}")
    _check_role_fits(role, organisation)
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        full_name=full_name,
        email=email,
        is_demo=is_demo,
    )
    if not is_demo:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AccountError("password: " + " ".join(exc.messages)) from exc
    user.set_password(password)
    user._history_user = by  # type: ignore[attr-defined]
    user.save()
    return user


@transaction.atomic
def user_grant(
    *, user: User, role: str, organisation: Organisation | None = None, by: User | None = None
) -> User:
    """Give `user` a role (and, if given, move them to another organisation)."""

    if role not in Role.values:
        raise AccountError(f"unknown role {role!r} (one of {', '.join(Role.values)})")
    target = organisation if organisation is not None else user.organisation
    _check_role_fits(role, target)
    return record_update(
        record=user,
        seen_version=user.version,
        changes={"role": role, "organisation": target},
        by=by,
    )


# -- the second factor ---------------------------------------------------------------------


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator-app device for the user to scan (replacing any earlier
    unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the user's new device with a code from it; None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).last()
    if device is None or not device.verify_token(token.replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


BACKUP_CODE_COUNT = 10


@transaction.atomic
def backup_codes_issue(*, user: User) -> list[str]:
    """Ten new single-use backup codes, replacing any the user had."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# -- download links ------------------------------------------------------------------------


class DownloadRefused(Exception):
    pass


def download_link_issue(*, user: User, what: str, parameters: dict[str, Any]) -> DownloadLink:
    """A single-use link to an export, valid for ECM_DOWNLOAD_LINK_SECONDS. Issuing it is
    recorded in the audit trail."""
    link = DownloadLink(
        token=secrets.token_urlsafe(32),
        user=user,
        what=what,
        parameters=parameters,
        expires_at=timezone.now() + timedelta(seconds=settings.ECM_DOWNLOAD_LINK_SECONDS),
    )
    link._history_user = user  # type: ignore[attr-defined]
    link.save()
    return link


@transaction.atomic
def download_link_use(*, token: str, user: User) -> DownloadLink:
    """Spend a download link: only its owner, only once, only before it expires. The use is
    recorded in the audit trail."""
    link = DownloadLink.objects.select_for_update().filter(token=token).first()
    if link is None or link.user_id != user.pk:
        raise DownloadRefused("There is no such download for you.")
    if link.used_at is not None:
        raise DownloadRefused("This download link has been used. Ask for the export again.")
    if link.expires_at <= timezone.now():
        raise DownloadRefused("This download link has expired. Ask for the export again.")
    link.used_at = timezone.now()
    link._history_user = user  # type: ignore[attr-defined]
    link.save(update_fields=["used_at"])
    return link
