"""A small world for permission tests: two areas, the ten inspectorates, one user per role,
an inspector of the users' own body (Ofsted) and one of another (CSCI)."""

import functools
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import is_verified as otp_is_verified
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from ecm_inspect.accounts.models import Role, User
from ecm_inspect.accounts.services import organisation_for, user_create
from ecm_inspect.registry.models import (
    Area,
    AreaType,
    Inspector,
    Inspectorate,
    InspectorGrade,
    PartnerBody,
    PartnerKind,
)
from ecm_inspect.registry.services import inspectorates_load

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *Role.values]
PASSWORD = "correct horse battery staple"  # noqa: S105 (test data)
BACKUP_CODE = "12345678"

# Which organisation each role's user belongs to. "Own" objects are Ofsted's and Gateshead's.
ORGANISATIONS = {
    Role.NATIONAL_LEAD: "inspectorate:OFSTED",
    Role.INSPECTORATE_LEAD: "inspectorate:OFSTED",
    Role.REVIEW_TEAM_LEADER: "inspectorate:OFSTED",
    Role.INSPECTOR: "inspectorate:OFSTED",
    Role.DCS: "council:E08000037",
    Role.PARTNER_CONTRIBUTOR: "partner:E08000037:Gateshead Youth Offending Team",
}


@dataclass
class World:
    users: dict[str, User]
    own_area: Area
    other_area: Area
    own_inspector: Inspector
    other_inspector: Inspector
    extra: dict[str, Any] = field(default_factory=dict)


def area_make(gss: str, la: str, name: str) -> Area:
    return Area.objects.create(
        gss_code=gss,
        la_code=la,
        name=name,
        region_code="E12000001",
        region_name="North East",
        area_type=AreaType.METROPOLITAN,
    )


def world_build() -> World:
    inspectorates_load()
    gateshead = area_make("E08000037", "390", "Gateshead")
    sunderland = area_make("E08000024", "394", "Sunderland")
    PartnerBody.objects.create(
        area=gateshead, kind=PartnerKind.YOUTH_OFFENDING_TEAM, name="Gateshead Youth Offending Team"
    )
    users = {
        role: user_create(
            username=f"test-{role}",
            role=role,
            organisation=organisation_for(ORGANISATIONS[Role(role)]),
            password=PASSWORD,
            full_name=f"Test {Role(role).label}",
        )
        for role in Role.values
    }
    for user in users.values():
        device = StaticDevice.objects.create(user=user, name="Backup codes")
        StaticToken.objects.create(device=device, token=BACKUP_CODE)
    own = Inspector.objects.create(
        full_name="Olive Own",
        inspectorate=Inspectorate.objects.get(code="OFSTED"),
        grade=InspectorGrade.INSPECTOR,
    )
    other = Inspector.objects.create(
        full_name="Carl Other",
        inspectorate=Inspectorate.objects.get(code="CSCI"),
        grade=InspectorGrade.SENIOR,
    )
    return World(users, gateshead, sunderland, own, other)


def verified(user: User) -> User:
    """`user` as OTPMiddleware hands them to a view after the second factor, for calling a
    selector or the policy directly."""
    user.otp_device = StaticDevice.objects.get(user=user)  # type: ignore[attr-defined]
    user.is_verified = functools.partial(otp_is_verified, user)  # type: ignore[attr-defined]
    return user


def client_for(user: User | None, *, verified: bool = True) -> Client:
    """A client signed in as `user` (through the second factor unless `verified` is False)."""
    client = Client()
    if user is None:
        return client
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if verified:
        device = StaticDevice.objects.get(user=user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
