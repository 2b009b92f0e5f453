"""Optimistic concurrency for shared records.

Every shared record carries a `version` number. An edit states the version it started from;
the save locks the row, and if someone else has saved since, the edit is refused with an
`EditConflict` that says who changed what, so the person can check and save again with
nothing lost. Saves go through the model's `save()`, so each is in the audit trail.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any


class EditConflict(Exception):
    """Someone else saved the record after this edit began."""

    def __init__(
        self,
        *,
        record: models.Model,
        seen_version: int,
        changed_by: str,
        changed_at: datetime | None,
        changes: list[FieldChange],
    ) -> None:
        self.record = record
        self.seen_version = seen_version
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.changes = changes
        when = f" at {changed_at:%H:%M on %-d %B %Y}" if changed_at else ""
        fields = ", ".join(c.label for c in changes) or "it"
        super().__init__(
            f"{changed_by} changed this {record._meta.verbose_name}{when}, after you opened it "
            f"(they changed {fields}). Your changes have not been saved: check them against "
            "the current version and save again."
        )


def _changes_since(record: models.Model, seen_version: int) -> tuple[str, datetime | None, list]:
    """Who saved the record after `seen_version`, when, and which fields differ from it."""
    history = getattr(record, "history", None)
    if history is None:
        return "Someone else", None, []
    latest = history.order_by("-history_date", "-history_id").first()
    seen = history.filter(version=seen_version).order_by("-history_date", "-history_id").first()
    who = "Someone else"
    if latest is not None and latest.history_user is not None:
        who = str(latest.history_user)
    changes: list[FieldChange] = []
    if latest is not None and seen is not None:
        delta = latest.diff_against(seen, excluded_fields=["version"])
        for change in delta.changes:
            field = record._meta.get_field(change.field)
            label = str(getattr(field, "verbose_name", change.field))
            changes.append(FieldChange(change.field, label, change.old, change.new))
    return who, (latest.history_date if latest is not None else None), changes


@transaction.atomic
def record_update(
    *,
    record: M,
    seen_version: int,
    changes: Mapping[str, Any],
    many: Mapping[str, Iterable[Any]] | None = None,
    by: Any = None,
) -> M:
    """Apply `changes` (fields) and `many` (many-to-many sets) to `record` if nobody has saved
    it since `seen_version`; raise EditConflict otherwise. Returns the saved record."""
    model = type(record)
    current = model._default_manager.select_for_update().get(pk=record.pk)
    current_version = current.version  # type: ignore[attr-defined]
    if current_version != seen_version:
        who, when, what = _changes_since(current, seen_version)
        raise EditConflict(
            record=current, seen_version=seen_version, changed_by=who, changed_at=when, changes=what
        )
    for name, value in changes.items():
        setattr(current, name, value)
    current.version = current_version + 1  # type: ignore[attr-defined]
    current.full_clean(validate_unique=False, validate_constraints=False)
    if by is not None:
        current._history_user = by  # type: ignore[attr-defined]
    current.save()
    for name, values in (many or {}).items():
        getattr(current, name).set(list(values))
    return current
