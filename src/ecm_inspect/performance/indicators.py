"""Indicator definitions and values: loading the shipped definitions, and `ecm import
indicators PATH` for long-format files (area_code, indicator, period, value, numerator,
denominator; optionally year). All or nothing, idempotent, every problem named by row and
field; changes are in the audit trail."""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ecm_inspect.core.imports.common import CHUNK_ROWS, Change, ImportResult, change_reason
from ecm_inspect.core.imports.errors import ImportFileError, Problem
from ecm_inspect.core.imports.reading import Progress, table_open
from ecm_inspect.registry.models import Area

from .models import GROUPS, IndicatorDefinition, IndicatorValue, Polarity

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFINITIONS_FILE = DATA_DIR / "indicators.yaml"
VALUES_FILE = DATA_DIR / "indicator_values_lait.csv"
# Child low income for every year (build_low_income.py): the risk model's deprivation.
LOW_INCOME_DEFINITIONS = DATA_DIR / "indicators_low_income.yaml"
LOW_INCOME_VALUES = DATA_DIR / "indicator_values_low_income.csv"
ENGLAND = "E92000001"
REQUIRED = ("area_code", "indicator", "period", "value")
OPTIONAL = ("year", "numerator", "denominator")
PROBLEM_LIMIT = 200
YEAR_IN_PERIOD = re.compile(r"(\d{4})(?:[-/](\d{2}))?(?:-(\d{2})/(\d{2}))?")
# A whole period as DfE writes it: "2023", "2016-17", "2016/17", "2014-16", "2021/22-23/24",
# with an optional note such as " (OT)", " (Rev)" or " (Final)".
PERIOD = re.compile(r"[0-9]{4}(?:[-/][0-9]{2})?(?:-[0-9]{2}/[0-9]{2})?(?: \([A-Za-z ]{1,20}\))?")
# The first year of the indicator series the product holds (LAIT goes back to the 1990s).
FIRST_YEAR = 1990


def indicator_definitions_load(*, path: Path = DEFINITIONS_FILE) -> int:
    """Create or update the indicator definitions; returns how many changed."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    existing = {d.code: d for d in IndicatorDefinition.objects.all()}
    changed = 0
    fields = ("title", "outcome", "topic", "unit", "polarity", "source", "frequency", "description")
    for item in data["indicators"]:
        if item["outcome"] not in GROUPS or item["polarity"] not in Polarity.values:
            raise ValueError(f"{path.name}: indicator {item['code']}: bad outcome or polarity")
        current = existing.get(item["code"])
        values = {f: item.get(f, "") for f in fields}
        if current is None:
            IndicatorDefinition.objects.create(code=item["code"], **values)
            changed += 1
        elif any(getattr(current, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(current, f, v)
            current.save()
            changed += 1
    return changed


def year_of_period(period: str) -> int | None:
    """The year a period ends in: "2023" -> 2023, "2016-17" -> 2017, "2021/22-23/24" -> 2024."""
    match = YEAR_IN_PERIOD.match(period.strip())
    if match is None:
        return None
    first, short, _, end = match.groups()
    if end:
        return 2000 + int(end)
    if short:
        return 2000 + int(short)
    return int(first)


def _number(text: str) -> float | None:
    """A finite number, or None (not NaN, not infinity)."""
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def is_percentage(unit: str) -> bool:
    """A unit that is a share of 100 ("% of children"); a gap between two shares is not."""
    return unit.strip().startswith("%") and "gap" not in unit.lower()


@dataclass(frozen=True)
class _Row:
    indicator_id: int
    area_id: int | None
    year: int
    period: str
    value: float
    numerator: float | None
    denominator: float | None


class _Reader:
    """Reads and checks the rows of an indicator file against the areas and indicators held,
    keeping the first PROBLEM_LIMIT problems and counting them all."""

    def __init__(self, col: dict[str, int]) -> None:
        self.col = col
        self.areas: dict[str, int | None] = {ENGLAND: None}
        for pk, gss, la in Area.objects.values_list("pk", "gss_code", "la_code"):
            self.areas[gss] = pk
            self.areas[la] = pk
        self.indicators = dict(IndicatorDefinition.objects.values_list("code", "pk"))
        self.percentages = {
            code
            for code, unit in IndicatorDefinition.objects.values_list("code", "unit")
            if is_percentage(unit)
        }
        self.latest_year = timezone.localdate().year
        self.problems: list[Problem] = []
        self.total_problems = 0
        self.seen: dict[tuple[int, int | None, int], int] = {}

    def problem(self, row: int, field: str, message: str) -> None:
        self.total_problems += 1
        if len(self.problems) < PROBLEM_LIMIT:
            self.problems.append(Problem(row, field, message))

    def _year(self, number: int, period: str, year_text: str) -> int | None:
        """The row's year (its own column, else its period's), checked against the range."""
        if not PERIOD.fullmatch(period):
            self.problem(
                number, "period", f"not a period like 2023, 2016-17 or 2021/22-23/24: {period!r}"
            )
        year = (
            int(year_text[:5])
            if re.fullmatch(r"[0-9]{1,5}", year_text)
            else None
            if year_text
            else year_of_period(period)
        )
        if year is None or not FIRST_YEAR <= year <= self.latest_year:
            self.problem(
                number,
                "year" if year_text else "period",
                f"no year from {FIRST_YEAR} to {self.latest_year} in {year_text or period!r}",
            )
            return None
        return year if PERIOD.fullmatch(period) else None

    def _value(self, number: int, indicator: str, text: str) -> float | None:
        value = _number(text)
        if value is None:
            self.problem(number, "value", f"not a number: {text!r}")
        elif indicator in self.percentages and value < 0:
            # No upper limit: DfE's take-up shares pass 100 (102.5% of 2 year olds funded)
            # where a population estimate is the denominator.
            self.problem(number, "value", f"{text!r} is negative: it is a percentage")
            return None
        return value

    def _counts(self, number: int, cell: Callable[[str], str]) -> dict[str, float | None] | None:
        """The numerator and denominator, where given; None if either is refused."""
        numbers: dict[str, float | None] = {}
        ok = True
        for name in ("numerator", "denominator"):
            text = cell(name)
            numbers[name] = _number(text)
            if text and numbers[name] is None:
                self.problem(number, name, f"not a number: {text!r}")
                ok = False
            elif (numbers[name] or 0) < 0:
                self.problem(number, name, f"{text!r} is negative: it counts people or events")
                ok = False
        return numbers if ok else None

    def read(self, number: int, cells: list[str]) -> _Row | None:
        """The row, or None with its problems noted."""

        def cell(name: str) -> str:
            index = self.col.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        code = cell("area_code")
        if code not in self.areas:
            self.problem(
                number,
                "area_code",
                f"unknown area {code!r}: not the GSS or DfE LA code of an area, nor England "
                f"({ENGLAND})",
            )
        indicator = cell("indicator")
        if indicator not in self.indicators:
            self.problem(number, "indicator", f"unknown indicator {indicator!r}")
        period = cell("period")
        year = self._year(number, period, cell("year"))
        value = self._value(number, indicator, cell("value"))
        numbers = self._counts(number, cell)
        if (
            code not in self.areas
            or indicator not in self.indicators
            or year is None
            or value is None
            or numbers is None
        ):
            return None
        key = (self.indicators[indicator], self.areas[code], year)
        if key in self.seen:
            self.problem(
                number,
                "indicator",
                f"{indicator} for {code} in {year} is also on row {self.seen[key]}",
            )
            return None
        self.seen[key] = number
        return _Row(
            key[0],
            key[1],
            year,
            period[:40],
            value,
            numbers["numerator"],
            numbers["denominator"],
        )


def indicators_import(
    *,
    path: Path,
    mapping: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import indicator values; raises ImportFileError naming every problem (up to a limit) and
    writes nothing if there is any."""
    if mapping:
        raise ImportFileError(
            path, [Problem(None, "mapping", "indicator files have one format; no mapping")]
        )
    table = table_open(path=path, progress=progress)
    header = [h.strip().lower() for h in table.header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(path, [Problem(1, c, "this column is missing") for c in missing])
    reader = _Reader(
        {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}
    )
    rows: list[_Row] = []
    result = ImportResult(path=path, mapping="indicators-long", dry_run=dry_run)
    for number, cells in table.rows:
        result.rows += 1
        row = reader.read(number, cells)
        if row is not None:
            rows.append(row)
    if reader.total_problems:
        raise ImportFileError(path, reader.problems, reader.total_problems)
    if result.rows == 0:
        raise ImportFileError(path, [Problem(None, None, "the file has no rows of data")])
    _write(rows, result, dry_run, path)
    return result


def _write(rows: list[_Row], result: ImportResult, dry_run: bool, path: Path) -> None:
    indicator_ids = {r.indicator_id for r in rows}
    existing = {
        (v.indicator_id, v.area_id, v.year): v
        for v in IndicatorValue.objects.filter(indicator_id__in=indicator_ids).only(
            "id", "indicator_id", "area_id", "year", "period", "value", "numerator", "denominator"
        )
    }
    codes = dict(IndicatorDefinition.objects.values_list("pk", "code"))
    create: list[IndicatorValue] = []
    update: list[IndicatorValue] = []
    for r in rows:
        current = existing.get((r.indicator_id, r.area_id, r.year))
        label = f"{codes[r.indicator_id]} {r.area_id or 'England'} {r.year}"
        wanted = {
            "period": r.period,
            "value": r.value,
            "numerator": r.numerator,
            "denominator": r.denominator,
        }
        if current is None:
            create.append(
                IndicatorValue(
                    indicator_id=r.indicator_id, area_id=r.area_id, year=r.year, **wanted
                )
            )
            result.note(Change(label, "create", {}))
            continue
        diffs = {f: (getattr(current, f), v) for f, v in wanted.items() if getattr(current, f) != v}
        if not diffs:
            result.unchanged += 1
            continue
        for f, (_, v) in diffs.items():
            setattr(current, f, v)
        update.append(current)
        result.note(Change(label, "update", diffs))
    if dry_run:
        return
    reason = change_reason("indicators", path)
    with transaction.atomic():
        for start in range(0, len(create), CHUNK_ROWS):
            bulk_create_with_history(
                create[start : start + CHUNK_ROWS], IndicatorValue, batch_size=CHUNK_ROWS,
                default_change_reason=reason,
            )  # fmt: skip
        for start in range(0, len(update), CHUNK_ROWS):
            bulk_update_with_history(
                update[start : start + CHUNK_ROWS], IndicatorValue,
                ["period", "value", "numerator", "denominator"], batch_size=CHUNK_ROWS,
                default_change_reason=reason,
            )  # fmt: skip


def indicators_load() -> ImportResult:
    """The demo's indicators: the shipped definitions, LAIT values and child low income
    (idempotent); returns the LAIT import's result."""
    indicator_definitions_load()
    indicator_definitions_load(path=LOW_INCOME_DEFINITIONS)
    result = indicators_import(path=VALUES_FILE)
    indicators_import(path=LOW_INCOME_VALUES)
    return result
