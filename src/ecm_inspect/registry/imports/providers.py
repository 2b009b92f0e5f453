"""`providers_import`: providers from a national or regional public file, all or nothing.

Rules (docs/registry.md, "Import rules"):
- Each row is checked: URN (pattern, unique in the file), type (mapped to a provider kind, or
  skipped with the mapping's reason), area (known, after the mapping's aliases), dates, postcode.
- A provider is matched by its URN. A new URN is created; a known one is updated where a mapped
  field differs, its version goes up, and simple-history records before and after. Fields the
  mapping does not give are left as they are; a name made from the mapping's template is only
  used for new providers.
- Rows are read and written in chunks inside one transaction: any problem rolls back everything.
  On PostgreSQL the chunks are copied into a temporary table and written at the end with a few
  set-based statements (`provider_writers.py`).
"""

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import transaction

from ecm_inspect.core.imports.common import (
    CHUNK_ROWS,
    ImportResult,
    change_reason,
    parse_date,
    parse_postcode,
)
from ecm_inspect.core.imports.errors import ImportFileError, Problem, Problems
from ecm_inspect.core.imports.reading import Progress, Table, table_open
from ecm_inspect.framework.models import ProviderKind

from ..models import Area, Provider
from .mapping import Mapping, mapping_resolve
from .provider_writers import Row, writer_for

_URN_MAX = Provider._meta.get_field("urn").max_length or 20
_NAME_MAX = Provider._meta.get_field("name").max_length or 200
_SUB_TYPE_MAX = Provider._meta.get_field("sub_type").max_length or 100
_ADDRESS_MAX = Provider._meta.get_field("address").max_length or 300


def area_name_key(name: str) -> str:
    """Council names as different publishers write them, made comparable: case, "&",
    punctuation and "City of" ("Kingston Upon Hull, City of" = "Kingston upon Hull")."""
    text = name.casefold().replace("&", " and ")
    text = re.sub(r"[.,'’()-]", " ", text)
    text = re.sub(r"\bcity of\b", " ", text)
    return " ".join(text.split())


class _Areas:
    """Every area, read once, found by DfE LA code, GSS code (either) or name."""

    def __init__(self) -> None:
        self.by_key: dict[str, dict[str, int]] = {
            "area_la_code": {},
            "area_gss_code": {},
            "area_name": {},
        }
        for pk, la_code, gss, gss_dfe, name in Area.objects.values_list(
            "pk", "la_code", "gss_code", "gss_code_dfe", "name"
        ):
            self.by_key["area_la_code"][la_code] = pk
            self.by_key["area_gss_code"][gss] = pk
            if gss_dfe:
                self.by_key["area_gss_code"].setdefault(gss_dfe, pk)
            self.by_key["area_name"][area_name_key(name)] = pk

    def find(self, key: str, value: str) -> int | None:
        if key == "area_name":
            value = area_name_key(value)
        return self.by_key[key].get(value)


def _latest(path: Path, column: str) -> str:
    table = table_open(path=path)
    index = table.header.index(column)
    return max((row[index] for _, row in table.rows if len(row) > index), default="")


class _Parser:
    def __init__(self, mapping: Mapping, header: list[str], problems: Problems) -> None:
        self.mapping = mapping
        self.problems = problems
        self.index = {f: header.index(col) for f, col in mapping.columns.items()}
        self.address = [header.index(col) for col in mapping.address_columns]
        self.width = len(header)
        self.select = header.index(mapping.select_column) if mapping.select_column else None
        self.kinds = dict(ProviderKind.objects.values_list("code", "pk"))
        self.areas = _Areas()
        self.area_key = mapping.area_key
        # Area by the file's own value: a national file names each of ~150 councils many times.
        self.area_found: dict[str, int | None] = {}
        self.seen: set[str] = set()
        self.skipped: dict[str, int] = {}
        # The fields every row gives (a field the mapping does not give is left as it is).
        self.fields = ["kind_id", "sub_type", "area_id", "source"]
        self.date_fields = [f for f in ("registered_on", "closed_on") if f in self.index]
        self.fields += ["name"] if "name" in self.index else []
        self.fields += self.date_fields
        self.fields += ["postcode"] if "postcode" in self.index else []
        self.fields += ["address"] if self.address else []

    def check_mapping(self) -> None:
        codes = {r.kind for r in self.mapping.types.values()}
        codes |= {r.kind for r in self.mapping.by_phase.values()}
        unknown = sorted(c for c in codes if c and c not in self.kinds)
        if not self.kinds:
            self.problems.add(None, None, "the Framework is not loaded: run `ecm framework load`")
        elif unknown:
            self.problems.add(
                None,
                None,
                f"mapping {self.mapping.name} names provider kinds the Framework does not "
                f"have: {', '.join(unknown)}",
            )

    def _skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def _cell(self, row: list[str], name: str) -> str:
        index = self.index.get(name)
        return row[index].strip() if index is not None else ""

    def _urn(self, number: int, row: list[str]) -> tuple[str, bool]:
        """The row's URN, and whether it is one: present, of the mapping's format, not too
        long, not seen before in the file."""
        problems, columns, pattern = self.problems, self.mapping.columns, self.mapping.urn_pattern
        urn = row[self.index["urn"]].strip()
        if not urn:
            problems.add(number, columns["urn"], "empty")
        elif pattern is not None and not pattern.match(urn):
            problems.add(number, columns["urn"], f"{urn!r} is not a URN of this format")
        elif len(urn) > _URN_MAX:
            problems.add(number, columns["urn"], f"longer than {_URN_MAX} characters")
        elif urn in self.seen:
            problems.add(number, columns["urn"], f"URN {urn} appears twice in the file")
        else:
            self.seen.add(urn)
            return urn, True
        return urn, False

    def _kind(self, number: int, row: list[str]) -> tuple[str, str, str] | None:
        """The kind of provider, its sub-type and type label, from the type (and phase of
        education where the type says so); None for a row skipped or refused."""
        mapping, columns = self.mapping, self.mapping.columns
        type_value = row[self.index["type"]].strip()
        rule = mapping.type_rule(type_value)
        if rule is None:
            self.problems.add(
                number,
                columns["type"],
                f"unknown type {type_value!r}: add it to mapping {mapping.name}",
            )
            return None
        sub_type = rule.label or type_value
        if rule.skip:
            self._skip(f"{type_value}: {rule.skip}")
            return None
        if not rule.by_phase:
            return rule.kind, sub_type, rule.label or type_value
        phase = self._cell(row, "phase")
        phase_rule = mapping.phase_rule(phase)
        if phase_rule is None:
            self.problems.add(number, columns["phase"], f"unknown phase of education {phase!r}")
            return None
        if phase_rule.skip:
            self._skip(f"{type_value}, {phase or 'no phase'}: {phase_rule.skip}")
            return None
        return phase_rule.kind, f"{sub_type}, {phase}", rule.label or type_value

    def _area(self, number: int, row: list[str]) -> tuple[bool, int | None]:
        """Whether the row is skipped for its area, and the area's id (None, with a problem,
        for an area that is not a children's services authority)."""
        key, mapping = self.area_key, self.mapping
        area_value = row[self.index[key]].strip()
        if area_value in mapping.skip_areas:
            self._skip(f"{area_value}: {mapping.skip_areas[area_value]}")
            return True, None
        if area_value in self.area_found:
            area_id = self.area_found[area_value]
        else:
            area_id = self.areas.find(key, mapping.area_aliases.get(area_value, area_value))
            self.area_found[area_value] = area_id
        if area_id is None:
            self.problems.add(
                number,
                mapping.columns[key],
                f"unknown area {area_value!r}: not a children's services authority",
            )
        return False, area_id

    def _details(self, number: int, row: list[str], values: dict[str, Any]) -> bool:
        """The name, dates, postcode and address the mapping reads, into `values`; False if any
        is refused."""
        problems, index, columns = self.problems, self.index, self.mapping.columns
        ok = True
        if "name" in index:
            name = values["name"] = row[index["name"]].strip()
            if not name:
                problems.add(number, columns["name"], "empty")
                ok = False
            elif len(name) > _NAME_MAX:
                problems.add(number, columns["name"], f"longer than {_NAME_MAX} characters")
                ok = False
        for date_field in self.date_fields:
            text = row[index[date_field]].strip()
            try:
                values[date_field] = parse_date(text, self.mapping.date_format) if text else None
            except ValueError as exc:
                problems.add(number, columns[date_field], str(exc))
                ok = False
        if "postcode" in index:
            text = row[index["postcode"]].strip()
            try:
                values["postcode"] = parse_postcode(text) if text else ""
            except ValueError as exc:
                problems.add(number, columns["postcode"], str(exc))
                ok = False
        if self.address:
            parts = [row[i].strip() for i in self.address]
            values["address"] = ", ".join(p for p in parts if p)[:_ADDRESS_MAX]
        return ok

    def parse(self, number: int, row: list[str], select_value: str) -> Row | None:
        if len(row) != self.width:
            self.problems.add(number, None, f"{len(row)} fields where the header has {self.width}")
            return None
        if self.select is not None and row[self.select].strip() != select_value:
            return None
        urn, ok = self._urn(number, row)
        kind = self._kind(number, row)
        if kind is None:
            return None
        kind_code, sub_type, type_label = kind
        skipped, area_id = self._area(number, row)
        if skipped:
            return None
        values: dict[str, Any] = {
            "kind_id": self.kinds[kind_code],
            "sub_type": sub_type[:_SUB_TYPE_MAX],
            "area_id": area_id,
            "source": self.mapping.name,
        }
        ok = self._details(number, row, values) and ok and area_id is not None
        if not ok:
            return None
        new_name = values.get("name") or self.mapping.name_template.format(
            type_label=type_label, urn=urn
        )
        return Row(number, urn, values, new_name[:_NAME_MAX])


def _chunks(rows: Iterator[tuple[int, list[str]]]) -> Iterator[list[tuple[int, list[str]]]]:
    chunk: list[tuple[int, list[str]]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _LaterSnapshot(Exception):
    """A row of a later snapshot than the one guessed: read the file again for the latest."""


def providers_import(
    *,
    path: Path,
    mapping: Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    user: Any = None,
) -> ImportResult:
    """Import providers from a CSV or XLSX file: everything, or nothing and ImportFileError."""
    table = table_open(path=path, progress=progress)
    chosen = mapping_resolve(applies_to="providers", header=table.header, path=path, given=mapping)
    options = {"path": path, "mapping": chosen, "dry_run": dry_run, "user": user}
    if not (chosen.select_column and chosen.select_value == "latest"):
        return _import(table=table, rows=table.rows, select=chosen.select_value, **options)
    # Only the latest snapshot is imported. Most files hold one: guess the first row's, and
    # read the file a second time only if a later one turns up (a file of every year's).
    column = table.header.index(chosen.select_column)
    first = next(table.rows, None)
    if first is not None and len(first[1]) > column:
        rows = itertools.chain([first], table.rows)
        try:
            return _import(
                table=table, rows=rows, select=first[1][column], guessed=column, **options
            )
        except _LaterSnapshot:
            pass
    _close(table)
    latest = _latest(path, chosen.select_column)
    table = table_open(path=path, progress=progress)
    return _import(table=table, rows=table.rows, select=latest, **options)


def _close(table: Table) -> None:
    """Stop reading a file before its end (the file is closed)."""
    close = getattr(table.rows, "close", None)
    if close is not None:
        close()


def _import(
    *,
    path: Path,
    table: Table,
    rows: Iterator[tuple[int, list[str]]],
    mapping: Mapping,
    select: str,
    dry_run: bool,
    user: Any,
    guessed: int | None = None,
) -> ImportResult:
    """Import the rows whose select column is `select` (every row, for a mapping without one).
    With `guessed` (the select column), `select` is a guess of the latest value: a row with a
    later one raises _LaterSnapshot, and everything is rolled back."""
    result = ImportResult(path=path, mapping=mapping.name, dry_run=dry_run)
    problems = Problems(path)
    reason = change_reason("providers", path)
    with transaction.atomic():
        parser = _Parser(mapping, table.header, problems)
        parser.check_mapping()
        problems.raise_if_any()
        with writer_for(fields=parser.fields, reason=reason, user=user) as writer:
            for chunk in _chunks(rows):
                parsed = []
                for number, row in chunk:
                    if guessed is not None and len(row) > guessed and row[guessed] > select:
                        _close(table)
                        raise _LaterSnapshot
                    result.rows += 1
                    item = parser.parse(number, row, select)
                    if item is not None:
                        parsed.append(item)
                if not problems:
                    writer.add(parsed, result)
            if result.rows == 0:
                problems.add(None, None, "the file has a header but no rows")
            problems.raise_if_any()
            writer.finish(result)
        result.skipped.update(parser.skipped)
        if dry_run:
            transaction.set_rollback(True)
    return result


__all__ = ["ImportFileError", "Problem", "area_name_key", "providers_import"]
