"""The demo's accounts: one per role (two inspectors, to share a review's drafting), with
published passwords and backup codes. They exist only where ECM_DEMO_USERS is on."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from ecm_inspect.registry.models import Area, Inspector, InspectorGrade, PartnerBody, PartnerKind

from .models import Role, User
from .services import BACKUP_CODE_COUNT, AccountError, organisation_for, user_create

DEMO_AREA_GSS = "E08000037"  # Gateshead, in the region whose providers ship with the demo


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    full_name: str
    organisation: str
    password: str
    backup_codes: tuple[str, ...]


def _demo_codes(username: str) -> tuple[str, ...]:
    # Published with the passwords: anyone may use the demo accounts. They exist only where
    # ECM_DEMO_USERS is on, and cannot sign in where it is off.
    stem = "".join(ch for ch in username if ch.isalpha())[-4:]
    return tuple(f"{stem}{n:04d}" for n in range(1, BACKUP_CODE_COUNT + 1))


DEMO_ACCOUNTS: tuple[tuple[str, Role, str, str], ...] = (
    ("demo-national-lead", Role.NATIONAL_LEAD, "Nadia Lead (demo)", "inspectorate:OFSTED"),
    ("demo-ofsted-lead", Role.INSPECTORATE_LEAD, "Owen Ofsted (demo)", "inspectorate:OFSTED"),
    ("demo-team-leader", Role.REVIEW_TEAM_LEADER, "Tara Leader (demo)", "inspectorate:OFSTED"),
    ("demo-inspector", Role.INSPECTOR, "Ian Spector (demo)", "inspectorate:CSCI"),
    (
        "demo-health-inspector",
        Role.INSPECTOR,
        "Hana Health (demo)",
        "inspectorate:HEALTHCARE_COMMISSION",
    ),
    ("demo-dcs", Role.DCS, "Dana Director (demo)", f"council:{DEMO_AREA_GSS}"),
    (
        "demo-partner",
        Role.PARTNER_CONTRIBUTOR,
        "Pat Partner (demo)",
        f"partner:{DEMO_AREA_GSS}:Gateshead Youth Offending Team",
    ),
)


def demo_accounts() -> list[DemoAccount]:
    return [
        DemoAccount(
            username=username,
            role=role,
            full_name=full_name,
            organisation=org,
            password=f"{username}-password",
            backup_codes=_demo_codes(username),
        )
        for username, role, full_name, org in DEMO_ACCOUNTS
    ]


@transaction.atomic
def demo_users_ensure() -> list[DemoAccount]:
    """A demo user for every role (two inspectors, to share a review's drafting), with a
    published password and backup codes; idempotent: spent backup codes are topped up, nothing
    else changes on a second run."""
    if not settings.ECM_DEMO_USERS:
        raise AccountError("demo accounts are turned off here (ECM_DEMO_USERS)")
    area = Area.objects.filter(gss_code=DEMO_AREA_GSS).first()
    if area is None:
        raise AccountError(f"load the areas first: the demo council is {DEMO_AREA_GSS}")
    PartnerBody.objects.get_or_create(
        area=area, kind=PartnerKind.YOUTH_OFFENDING_TEAM, name="Gateshead Youth Offending Team"
    )
    accounts = demo_accounts()
    for account in accounts:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = user_create(
                username=account.username,
                role=account.role,
                organisation=organisation_for(account.organisation),
                password=account.password,
                full_name=account.full_name,
                is_demo=True,
            )
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes")
        have = set(device.token_set.values_list("token", flat=True))
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=code)
            for code in account.backup_codes
            if code not in have
        )
        if account.role in {Role.REVIEW_TEAM_LEADER, Role.INSPECTOR} and user.organisation:
            Inspector.objects.get_or_create(
                user=user,
                defaults={
                    "full_name": account.full_name,
                    "inspectorate_id": user.organisation.inspectorate_id,
                    "grade": InspectorGrade.LEAD
                    if account.role == Role.REVIEW_TEAM_LEADER
                    else InspectorGrade.INSPECTOR,
                    "home_region_code": area.region_code,
                    "is_synthetic": True,
                },
            )
    return accounts
