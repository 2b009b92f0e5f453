"""Who may do what: the one policy every view, API endpoint and CLI command asks.

Permissions are registered with `rules` and asked through Django's own API,
`user.has_perm("registry.change_inspector", inspector)`, so apps below `accounts` (the
Framework and the registry) are protected without importing it. Apps above it build their
permissions in their own `rules.py` from the predicates defined here.

Roles are those of the design ("Who uses it"). The public is the anonymous user: it sees the
Framework, the registry's public records and (later) published material, and nothing else.
"""

from typing import Any

import rules

from ecm_inspect.registry.models import Inspector, InspectorAbsence, Inspectorate

from .models import INSPECTORATE_ROLES, Role, User

# -- who the user is -----------------------------------------------------------------------


def passed_second_factor(user: Any) -> bool:
    """Whether `user` is a signed-in, active person whose session passed the second factor: the
    one check every predicate below that grants anything to a person goes through.

    `django_otp`'s OTPMiddleware gives each request's user `is_verified()`; a management command
    acting as someone (`--by USERNAME`) gives it to them with `acting_on_the_server`. Any other
    user object (one loaded from the database and never through either) has not passed it: the
    policy fails closed."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    is_verified = getattr(user, "is_verified", None)
    return callable(is_verified) and bool(is_verified())


def acting_on_the_server(user: User) -> User:
    """`user`, for a management command run on the server to act as them (`--by USERNAME`).

    The command is run by an operator with shell access to the server, which is stronger than
    the person's second factor (docs/commands.md): it stands in for it, and says so here rather
    than by a default that would also hold for a user object from anywhere else."""
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


def _role(user: Any) -> str | None:
    """The role `user` acts in: none unless their session passed the second factor."""
    if not passed_second_factor(user):
        return None
    return str(user.role) or None


@rules.predicate
def has_passed_second_factor(user: Any) -> bool:
    return passed_second_factor(user)


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return _role(user) is not None


@rules.predicate
def is_national_lead(user: Any) -> bool:
    return _role(user) == Role.NATIONAL_LEAD


@rules.predicate
def is_inspectorate_lead(user: Any) -> bool:
    return _role(user) == Role.INSPECTORATE_LEAD


@rules.predicate
def is_review_team_leader(user: Any) -> bool:
    return _role(user) == Role.REVIEW_TEAM_LEADER


@rules.predicate
def is_inspector(user: Any) -> bool:
    return _role(user) == Role.INSPECTOR


@rules.predicate
def is_dcs(user: Any) -> bool:
    return _role(user) == Role.DCS


@rules.predicate
def is_partner_contributor(user: Any) -> bool:
    return _role(user) == Role.PARTNER_CONTRIBUTOR


@rules.predicate
def is_inspectorate_staff(user: Any) -> bool:
    """Works for one of the inspectorates (any inspectorate role)."""
    return _role(user) in INSPECTORATE_ROLES


# -- how the user relates to the object ----------------------------------------------------


def _inspectorate_of(obj: Any) -> int | None:
    """The inspectorate an object belongs to: an inspectorate itself, an inspector (or their
    absence), or a user working for one."""

    if isinstance(obj, Inspectorate):
        return int(obj.pk)
    if isinstance(obj, Inspector):
        return int(obj.inspectorate_id)
    if isinstance(obj, InspectorAbsence):
        return int(obj.inspector.inspectorate_id)
    if isinstance(obj, User):
        return obj.inspectorate_id
    return None


@rules.predicate
def works_for_same_inspectorate(user: Any, obj: Any) -> bool:
    body = _inspectorate_of(obj)
    return body is not None and body == getattr(user, "inspectorate_id", None)


@rules.predicate
def is_self(user: Any, obj: Any) -> bool:
    return (
        obj is not None
        and passed_second_factor(user)
        and getattr(obj, "pk", None) == user.pk
        and obj._meta.label == (user._meta.label)
    )


@rules.predicate
def grants_no_more_than_inspector(user: Any, obj: Any) -> bool:
    """An inspectorate lead may give their body's people the roles below their own."""
    return obj is None or str(obj.role) in {"", Role.REVIEW_TEAM_LEADER, Role.INSPECTOR}


# -- the permissions -----------------------------------------------------------------------

# Public records: the Framework and the registry of areas, inspectorates and providers are
# published information (2005 Framework; Ofsted and DfE open data).
rules.add_perm("framework.view_catalogue", rules.always_allow)
rules.add_perm("registry.view_area", rules.always_allow)
rules.add_perm("registry.view_provider", rules.always_allow)
rules.add_perm("registry.view_inspectorate", rules.always_allow)

# Inspectors: their availability and expertise are internal to the inspectorates, which
# make review teams from them; each inspectorate lead manages only their own body's inspectors
# (design: "inspectorate lead: its inspectors").
rules.add_perm("registry.view_inspector", is_inspectorate_staff)
rules.add_perm(
    "registry.add_inspector",
    is_national_lead | (is_inspectorate_lead & works_for_same_inspectorate),
)
rules.add_perm(
    "registry.change_inspector",
    is_national_lead | (is_inspectorate_lead & works_for_same_inspectorate),
)

# Users: the national lead administers everyone; an inspectorate lead their own body's
# inspectors and review team leaders; everyone sees their own account.
rules.add_perm(
    "accounts.view_user",
    is_self | is_national_lead | (is_inspectorate_lead & works_for_same_inspectorate),
)
rules.add_perm(
    "accounts.add_user",
    is_national_lead
    | (is_inspectorate_lead & works_for_same_inspectorate & grants_no_more_than_inspector),
)
rules.add_perm(
    "accounts.change_user",
    is_national_lead
    | (is_inspectorate_lead & works_for_same_inspectorate & grants_no_more_than_inspector),
)

# The audit trail: those who manage records read their history (which entries each role sees
# is decided by `selectors.audit_entries_for_user`); exporting it is audited in turn.
rules.add_perm("accounts.view_audit", is_national_lead | is_inspectorate_lead | is_dcs)
rules.add_perm("accounts.export_audit", is_national_lead | is_inspectorate_lead | is_dcs)
