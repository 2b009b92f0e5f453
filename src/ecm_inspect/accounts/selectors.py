"""Reads of access-controlled records: one accessor per kind, each asking the policy.

The audit trail is every create, update and delete of every domain record (django-simple-history
keeps a history table per model); which entries a person may read depends on their role.
"""

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from ecm_inspect.registry.models import Inspector

from .models import Role, User

# -- inspectors ----------------------------------------------------------------------------


def inspectors_for_user(*, user: Any) -> models.QuerySet[Inspector]:
    if not user.has_perm("registry.view_inspector"):
        raise PermissionDenied
    return Inspector.objects.select_related("inspectorate").order_by("full_name")


def inspector_get_for_user(*, user: Any, inspector_id: int, perm: str) -> Inspector:
    """The inspector, if `user` holds `perm` on them: 404 if there is none, 403 if not allowed."""
    inspector = Inspector.objects.select_related("inspectorate").filter(pk=inspector_id).first()
    if inspector is None:
        raise Http404("No such inspector.")
    if not user.has_perm(perm, inspector):
        raise PermissionDenied
    return inspector


# -- the audit trail -----------------------------------------------------------------------

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    label: str = ""  # the field's verbose name, as pages show it


@dataclass
class AuditEntry:
    """One create, update or delete of one record."""

    at: datetime
    who: str
    action: str
    record_type: str
    record: str
    record_id: Any
    changes: list[Change] = field(default_factory=list)
    history_id: int = 0


def audited_models() -> list[type[models.Model]]:
    """Every domain model whose history is kept, in a stable order."""
    found = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("ecm_inspect.")
        and getattr(m._meta, "simple_history_manager_attribute", None)
    ]
    return sorted(found, key=lambda m: m._meta.label)


def record_types() -> list[tuple[str, str]]:
    return [(m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in audited_models()]


# Which history each role may read, as a filter on a model's history table. A model missing
# from a role's table is not visible to that role. Later apps add their records here.
Scope = Callable[[Any], Q]


def _inspectorate_lead_scopes() -> dict[str, Scope]:
    return {
        "registry.inspectorate": lambda u: Q(id=u.inspectorate_id),
        "registry.inspector": lambda u: Q(inspectorate_id=u.inspectorate_id),
        "registry.inspectorabsence": lambda u: Q(inspector__inspectorate_id=u.inspectorate_id),
        "accounts.user": lambda u: Q(organisation__inspectorate_id=u.inspectorate_id),
        "accounts.organisation": lambda u: Q(inspectorate_id=u.inspectorate_id),
        "accounts.downloadlink": lambda u: Q(user_id=u.pk),
    }


def _dcs_scopes() -> dict[str, Scope]:
    return {
        "registry.area": lambda u: Q(id=u.area_id),
        "registry.provider": lambda u: Q(area_id=u.area_id),
        "registry.partnerbody": lambda u: Q(area_id=u.area_id),
        "accounts.organisation": lambda u: Q(area_id=u.area_id),
        "accounts.user": lambda u: Q(organisation__area_id=u.area_id),
        "accounts.downloadlink": lambda u: Q(user_id=u.pk),
    }


def audit_scope(user: Any, model: type[models.Model]) -> Q | None:
    """The filter on `model`'s history that `user` may read, or None if none of it."""
    if not user.has_perm("accounts.view_audit"):
        return None
    if user.is_superuser or user.role == Role.NATIONAL_LEAD:
        return Q()
    scopes = {
        Role.INSPECTORATE_LEAD: _inspectorate_lead_scopes,
        Role.DCS: _dcs_scopes,
    }.get(user.role)
    if scopes is None:
        return None
    scope = scopes().get(model._meta.label_lower)
    return scope(user) if scope is not None else None


@dataclass(frozen=True)
class AuditFilter:
    record_type: str = ""
    who: str = ""
    since: date | None = None
    until: date | None = None

    def as_parameters(self) -> dict[str, str]:
        return {
            "record_type": self.record_type,
            "who": self.who,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }

    @classmethod
    def from_parameters(cls, data: dict[str, str]) -> "AuditFilter":
        return cls(
            record_type=data.get("record_type", ""),
            who=data.get("who", ""),
            since=date.fromisoformat(data["since"]) if data.get("since") else None,
            until=date.fromisoformat(data["until"]) if data.get("until") else None,
        )


def _histories(user: Any, where: AuditFilter) -> list[tuple[type[models.Model], Any]]:
    out = []
    for model in audited_models():
        if where.record_type and model._meta.label_lower != where.record_type:
            continue
        scope = audit_scope(user, model)
        if scope is None:
            continue
        history = getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]
        qs = history.filter(scope).select_related("history_user")
        if where.who:
            qs = qs.filter(
                Q(history_user__username__iexact=where.who)
                | Q(history_user__full_name__icontains=where.who)
            )
        if where.since:
            qs = qs.filter(history_date__date__gte=where.since)
        if where.until:
            qs = qs.filter(history_date__date__lte=where.until)
        out.append((model, qs.order_by("-history_date", "-history_id")))
    return out


def _entry(model: type[models.Model], record: Any, with_changes: bool) -> AuditEntry:
    changes: list[Change] = []
    if with_changes and record.history_type == "~":
        previous = record.prev_record
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version"])
            for change in delta.changes:
                before, after = (
                    (_related_names(model, change.field, v) for v in (change.old, change.new))
                    if isinstance(change.new, list)
                    else (_shown(_choice(model, change.field, v)) for v in (change.old, change.new))
                )
                label = _field_label(model, change.field)
                changes.append(Change(change.field, before, after, label))
    who = record.history_user
    return AuditEntry(
        at=record.history_date,
        who=str(who) if who is not None else "System (import or command line)",
        action=ACTIONS.get(record.history_type, record.history_type),
        record_type=str(model._meta.verbose_name).capitalize(),
        record=_record_name(record),
        record_id=getattr(record, "id", None),
        changes=changes,
        history_id=record.history_id,
    )


def _record_name(record: Any) -> str:
    try:
        return str(record.instance)
    except Exception:  # a history row of a record whose related rows are gone
        return f"#{getattr(record, 'id', '?')}"


def _related_names(model: type[models.Model], name: str, rows: Any) -> str:
    """A many-to-many field's value in history (rows of ids) as the related records' names."""
    target: Any = model._meta.get_field(name).related_model
    if isinstance(target, str) or target is None or not isinstance(rows, list):
        return _shown(rows)
    key = target._meta.model_name
    ids = [row.get(key) for row in rows if isinstance(row, dict)]
    names = {obj.pk: str(obj) for obj in target._default_manager.filter(pk__in=ids)}
    return ", ".join(sorted(names.get(i, f"#{i}") for i in ids)) or "(none)"


def _field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_label(model: type[models.Model], name: str) -> str:
    field = _field(model, name)
    label = getattr(field, "verbose_name", None) or name.replace("_", " ")
    return str(label).capitalize()


def _choice(model: type[models.Model], name: str, value: Any) -> Any:
    """A choice's label in place of its stored value ("Looked after", not "looked_after")."""
    field = _field(model, name)
    if field is None or not getattr(field, "choices", None):
        return value
    return dict(field.flatchoices).get(value, value)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def _tagged(model: type[models.Model], records: Any) -> Iterator[tuple[Any, int, Any, Any]]:
    """History rows of one model as (when, id, model, row), for merging newest first."""
    for r in records:
        yield (r.history_date, r.history_id, model, r)


def audit_entries_for_user(
    *, user: Any, where: AuditFilter | None = None, limit: int = 50, offset: int = 0
) -> list[AuditEntry]:
    """The newest entries `user` may read, newest first, with before/after of each change."""
    if not user.has_perm("accounts.view_audit"):
        raise PermissionDenied
    where = where or AuditFilter()
    wanted = offset + limit
    merged = heapq.merge(
        *[_tagged(model, qs[:wanted]) for model, qs in _histories(user, where)],
        key=lambda t: (t[0], t[1]),
        reverse=True,
    )
    rows = [item for _, item in zip(range(wanted), merged, strict=False)][offset:]
    return [_entry(model, record, with_changes=True) for _, _, model, record in rows]


def audit_entries_all(*, user: Any, where: AuditFilter) -> Iterator[AuditEntry]:
    """Every entry `user` may read, newest first, streamed (for the CSV export)."""
    if not user.has_perm("accounts.export_audit"):
        raise PermissionDenied
    merged = heapq.merge(
        *[_tagged(model, qs.iterator(chunk_size=2000)) for model, qs in _histories(user, where)],
        key=lambda t: (t[0], t[1]),
        reverse=True,
    )
    for _, _, model, record in merged:
        yield _entry(model, record, with_changes=True)


def user_get_for_user(*, user: Any, username: str, perm: str = "accounts.view_user") -> User:
    target = User.objects.select_related("organisation").filter(username=username).first()
    if target is None:
        raise Http404("No such user.")
    if not user.has_perm(perm, target):
        raise PermissionDenied
    return target
