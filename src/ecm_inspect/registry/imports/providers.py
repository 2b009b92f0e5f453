"""`providers_import`: providers from a national or regional public file, all or nothing.

Rules (docs/registry.md, "Import rules"):
- Each row is checked: URN (pattern, unique in the file), type (mapped to a provider kind, or
  skipped with the mapping's reason), area (known, after the mapping's aliases), dates, postcode.
- A provider is matched by its URN. A new URN is created; a known one is updated where a mapped
  field differs, its version goes up, and simple-history records before and after. Fields the
  mapping does not give are left as they are; a name made from the mapping's template is only
  used for new providers.
- Rows are read and written in chunks inside one transaction: any problem rolls back everything.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ecm_inspect.framework.models import ProviderKind

from ..models import Area, Provider
from .common import (
    CHUNK_ROWS,
    Change,
    ImportResult,
    change_reason,
    diff,
    parse_date,
    parse_postcode,
)
from .errors import ImportFileError, Problem, Problems
from .mapping import Mapping, mapping_resolve
from .reading import Progress, Table, table_open

BATCH_SIZE = 1000
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


@dataclass
class _Row:
    number: int
    urn: str
    kind_id: int
    values: dict[str, Any]
    new_name: str


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
        self.seen: set[str] = set()
        self.skipped: dict[str, int] = {}

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

    def parse(self, number: int, row: list[str], select_value: str) -> _Row | None:
        problems, mapping = self.problems, self.mapping
        if len(row) != self.width:
            problems.add(number, None, f"{len(row)} fields where the header has {self.width}")
            return None
        if self.select is not None and row[self.select].strip() != select_value:
            return None

        def cell(name: str) -> str:
            return row[self.index[name]].strip() if name in self.index else ""

        def col(name: str) -> str:
            return mapping.columns[name]

        ok = True
        urn = cell("urn")
        if not urn:
            problems.add(number, col("urn"), "empty")
            ok = False
        elif mapping.urn_pattern is not None and not mapping.urn_pattern.match(urn):
            problems.add(number, col("urn"), f"{urn!r} is not a URN of this format")
            ok = False
        elif urn in self.seen:
            problems.add(number, col("urn"), f"URN {urn} appears twice in the file")
            ok = False
        else:
            self.seen.add(urn)

        type_value = cell("type")
        rule = mapping.type_rule(type_value)
        sub_type = rule.label if rule and rule.label else type_value
        if rule is None:
            problems.add(
                number,
                col("type"),
                f"unknown type {type_value!r}: add it to mapping {mapping.name}",
            )
            return None
        if rule.skip:
            self._skip(f"{type_value}: {rule.skip}")
            return None
        if rule.by_phase:
            phase = cell("phase")
            phase_rule = mapping.phase_rule(phase)
            if phase_rule is None:
                problems.add(number, col("phase"), f"unknown phase of education {phase!r}")
                return None
            if phase_rule.skip:
                self._skip(f"{type_value}, {phase or 'no phase'}: {phase_rule.skip}")
                return None
            kind_code = phase_rule.kind
            sub_type = f"{sub_type}, {phase}"
        else:
            kind_code = rule.kind

        key = mapping.area_key
        area_value = cell(key)
        if area_value in mapping.skip_areas:
            self._skip(f"{area_value}: {mapping.skip_areas[area_value]}")
            return None
        area_id = self.areas.find(key, mapping.area_aliases.get(area_value, area_value))
        if area_id is None:
            problems.add(
                number,
                col(key),
                f"unknown area {area_value!r}: not a children's services authority",
            )
            ok = False

        values: dict[str, Any] = {
            "kind_id": self.kinds[kind_code],
            "sub_type": sub_type[:_SUB_TYPE_MAX],
            "area_id": area_id,
            "source": mapping.name,
        }
        if "name" in self.index:
            values["name"] = cell("name")
            if not values["name"]:
                problems.add(number, col("name"), "empty")
                ok = False
            elif len(values["name"]) > _NAME_MAX:
                problems.add(number, col("name"), f"longer than {_NAME_MAX} characters")
                ok = False
        for date_field in ("registered_on", "closed_on"):
            if date_field in self.index:
                text = cell(date_field)
                try:
                    values[date_field] = parse_date(text, mapping.date_format) if text else None
                except ValueError as exc:
                    problems.add(number, col(date_field), str(exc))
                    ok = False
        if "postcode" in self.index:
            text = cell("postcode")
            try:
                values["postcode"] = parse_postcode(text) if text else ""
            except ValueError as exc:
                problems.add(number, col("postcode"), str(exc))
                ok = False
        if self.address:
            parts = [row[i].strip() for i in self.address]
            values["address"] = ", ".join(p for p in parts if p)[:_ADDRESS_MAX]
        if not ok:
            return None
        new_name = values.get("name") or mapping.name_template.format(
            type_label=rule.label or type_value, urn=urn
        )
        return _Row(number, urn, values["kind_id"], values, new_name[:_NAME_MAX])


def _chunks(table: Table) -> Iterator[list[tuple[int, list[str]]]]:
    chunk: list[tuple[int, list[str]]] = []
    for item in table.rows:
        chunk.append(item)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write(rows: list[_Row], result: ImportResult, reason: str, user: Any) -> None:
    existing = {p.urn: p for p in Provider.objects.filter(urn__in=[r.urn for r in rows])}
    creates: list[Provider] = []
    updates: list[Provider] = []
    updated_fields: set[str] = set()
    for row in rows:
        current = existing.get(row.urn)
        if current is None:
            values = {"name": row.new_name, **row.values}
            creates.append(Provider(urn=row.urn, **values))
            result.note(Change(row.urn, "create", {}))
            continue
        changes = diff(current, row.values)
        if not changes:
            result.unchanged += 1
            continue
        for name, (_, after) in changes.items():
            setattr(current, name, after)
        current.version += 1
        updates.append(current)
        updated_fields |= set(changes)
        result.note(Change(row.urn, "update", changes))
    if creates:
        bulk_create_with_history(
            creates,
            Provider,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
        )
    if updates:
        bulk_update_with_history(
            updates,
            Provider,
            fields=sorted(f.removesuffix("_id") for f in updated_fields) + ["version"],
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
        )


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
    select_value = chosen.select_value
    if chosen.select_column and select_value == "latest":
        select_value = _latest(path, chosen.select_column)
    result = ImportResult(path=path, mapping=chosen.name, dry_run=dry_run)
    problems = Problems(path)
    reason = change_reason("providers", path)
    with transaction.atomic():
        parser = _Parser(chosen, table.header, problems)
        parser.check_mapping()
        problems.raise_if_any()
        for chunk in _chunks(table):
            parsed = []
            for number, row in chunk:
                result.rows += 1
                item = parser.parse(number, row, select_value)
                if item is not None:
                    parsed.append(item)
            if not problems:
                _write(parsed, result, reason, user)
        if result.rows == 0:
            problems.add(None, None, "the file has a header but no rows")
        problems.raise_if_any()
        result.skipped.update(parser.skipped)
        if dry_run:
            transaction.set_rollback(True)
    return result


__all__ = ["ImportFileError", "Problem", "area_name_key", "providers_import"]
