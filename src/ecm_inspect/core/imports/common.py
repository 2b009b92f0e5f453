"""What every import shares: its result, the changes it makes, parsing of cells."""

import datetime
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.db import models
from django.utils import timezone

# How many changes a result keeps to show (a dry run prints them); the counts are complete.
CHANGES_KEPT = 50
# Rows read and written together: memory stays flat, and each batch is a few queries.
CHUNK_ROWS = 2000

# No date an import reads is older than this (the oldest registered provider is from the
# 1940s; a year 1 or 1066 is a typing error).
EARLIEST_DATE = datetime.date(1900, 1, 1)
# The most a count of people or places may be: what a PositiveIntegerField holds on every
# database (PostgreSQL's integer).
COUNT_MAX = 2_147_483_647

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
# A postcode already written the way we store it (most of a file): no need to normalise it.
POSTCODE_NORMAL = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")


@dataclass(frozen=True)
class Change:
    key: str
    action: Literal["create", "update"]
    fields: dict[str, tuple[Any, Any]]

    def describe(self) -> str:
        if self.action == "create":
            return f"create {self.key}"
        diffs = "; ".join(f"{k}: {b!r} -> {a!r}" for k, (b, a) in self.fields.items())
        return f"update {self.key}: {diffs}"


@dataclass
class ImportResult:
    path: Path
    mapping: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def note(self, change: Change) -> None:
        if change.action == "create":
            self.created += 1
        else:
            self.updated += 1
        if len(self.changes) < CHANGES_KEPT:
            self.changes.append(change)


def change_reason(kind: str, path: Path) -> str:
    """The history change reason of every record an import writes."""
    return f"import {kind} {path.name}"[:100]


@functools.lru_cache(maxsize=16)
def _date_pattern(fmt: str) -> tuple[re.Pattern[str], tuple[int, int, int]] | None:
    """For a format of %d, %m and %Y with one separator (`%d/%m/%Y`, `%Y-%m-%d`): a pattern
    for the usual way of writing such dates (each one strptime accepts too), and where year,
    month and day are in a match. strptime takes about 8 microseconds a date."""
    parts = re.fullmatch(r"%([dmY])([^%A-Za-z0-9])%([dmY])\2%([dmY])", fmt)
    if parts is None or sorted(parts[1] + parts[3] + parts[4]) != ["Y", "d", "m"]:
        return None
    order = (parts[1], parts[3], parts[4])
    groups = {"d": "([0-9]{1,2})", "m": "([0-9]{1,2})", "Y": "([0-9]{4})"}
    pattern = re.compile(re.escape(parts[2]).join(groups[p] for p in order) + r"\Z")
    return pattern, (order.index("Y") + 1, order.index("m") + 1, order.index("d") + 1)


def _parsed_date(value: str, fmt: str) -> datetime.date:
    for candidate in (fmt, "%Y-%m-%d"):
        fast = _date_pattern(candidate)
        match = fast[0].match(value) if fast is not None else None
        if fast is not None and match is not None:
            year, month, day = fast[1]
            try:
                return datetime.date(int(match[year]), int(match[month]), int(match[day]))
            except ValueError:
                pass  # strptime decides (and refuses it)
        try:
            return datetime.datetime.strptime(value, candidate).date()  # noqa: DTZ007
        except ValueError:
            continue
    example = datetime.date(2025, 3, 31).strftime(fmt)
    raise ValueError(f"{value!r} is not a date like {example!r}")


def parse_date(value: str, fmt: str, *, today: datetime.date | None = None) -> datetime.date:
    """A date in the mapping's format, or ISO 8601 (what XLSX date cells are read as). Every
    date the imports read has happened (a registration, a closure, an inspection, a
    publication), so one after today, or before `EARLIEST_DATE`, is refused."""
    day = _parsed_date(value, fmt)
    if day > (today or timezone.localdate()):
        raise ValueError(f"{value!r} is in the future")
    if day < EARLIEST_DATE:
        raise ValueError(f"{value!r} is before {EARLIEST_DATE.year}")
    return day


def parse_count(value: str, *, most: int = COUNT_MAX) -> int:
    """A whole number of people or places, 0 to `most` (written with or without commas)."""
    text = value.strip().replace(",", "")
    if not re.fullmatch(r"[0-9]+", text, flags=re.ASCII):
        raise ValueError(f"{value!r} is not a whole number")
    number = int(text[:20])
    if len(text) > 20 or number > most:
        raise ValueError(f"{value!r} is more than {most:,}")
    return number


def parse_postcode(value: str) -> str:
    if POSTCODE_NORMAL.match(value):
        return value
    match = POSTCODE.match(re.sub(r"\s+", " ", value.strip().upper()))
    if match is None:
        raise ValueError(f"{value!r} is not a UK postcode")
    return f"{match[1]} {match[2]}"


def diff(obj: models.Model, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value differs: {attname: (before, after)}."""
    return {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}
