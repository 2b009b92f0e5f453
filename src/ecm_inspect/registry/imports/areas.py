"""`areas_import`: the children's services authorities of England, all or nothing.

Rules (docs/registry.md, "Importing areas"):
- Each row is checked: GSS code (E06, E08, E09 or E10 and six digits), DfE LA code (three
  digits), region code (E12), name, type (mapped by the mapping's `types`), population, and
  both codes unique in the file.
- An area is matched by its GSS code, then by its DfE LA code: ONS recoded Barnsley and
  Sheffield in 2024 (E08000016 -> E08000038, E08000019 -> E08000039) while their LA codes
  stayed, so a file with the new codes updates the areas instead of adding two more.
- Statistical neighbours are GSS codes (either code of a recoded area), each an area of the
  file or already in the registry, in rank order. A change to an area's neighbours is a change
  to the area: its version goes up and its history has a row.
- An area is never deleted: one missing from the file is left as it is.

The file is small (about 150 rows), so its rows are held while the neighbours are resolved.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ecm_inspect.core.imports.common import Change, ImportResult, change_reason, diff, parse_count
from ecm_inspect.core.imports.errors import Problems
from ecm_inspect.core.imports.reading import Progress, table_open

from ..models import Area, AreaType, StatisticalNeighbour
from .mapping import Mapping, mapping_resolve

GSS_CODE = re.compile(r"^E(06|08|09|10)[0-9]{6}$")
REGION_CODE = re.compile(r"^E12[0-9]{6}$")
LA_CODE = re.compile(r"^[0-9]{3}$")
# More 0-25 year olds than all of England has (about 17.5 million, ONS mid-2022 estimates) is a
# mistake in the file, not an area.
POPULATION_MAX = 20_000_000
_NAME_MAX = Area._meta.get_field("name").max_length or 100
_REGION_NAME_MAX = Area._meta.get_field("region_name").max_length or 50
_WEBSITE_MAX = Area._meta.get_field("website").max_length or 100
_URN_MAX = Area._meta.get_field("ofsted_urn").max_length or 10


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    neighbours: list[str] = field(default_factory=list)


class _Parser:
    def __init__(self, mapping: Mapping, header: list[str], problems: Problems) -> None:
        self.mapping = mapping
        self.problems = problems
        self.index = {f: header.index(col) for f, col in mapping.columns.items()}
        self.width = len(header)
        self.seen: dict[str, dict[str, int]] = {"gss_code": {}, "la_code": {}}

    def parse(self, number: int, row: list[str]) -> _Row | None:
        problems, mapping = self.problems, self.mapping
        if len(row) != self.width:
            problems.add(number, None, f"{len(row)} fields where the header has {self.width}")
            return None

        def cell(name: str) -> str:
            return row[self.index[name]].strip() if name in self.index else ""

        def col(name: str) -> str:
            return mapping.columns[name]

        ok = True
        values: dict[str, Any] = {}
        for name, pattern, what in (
            ("gss_code", GSS_CODE, "an ONS code of an upper-tier council (E06, E08, E09, E10)"),
            ("la_code", LA_CODE, "a DfE LA code (three digits)"),
            ("region_code", REGION_CODE, "an ONS region code (E12 and six digits)"),
        ):
            text = cell(name)
            if not pattern.match(text):
                problems.add(number, col(name), f"bad code {text!r}: not {what}")
                ok = False
            elif name in self.seen:
                first = self.seen[name].setdefault(text, number)
                if first != number:
                    problems.add(number, col(name), f"{text} appears twice (also row {first})")
                    ok = False
            values[name] = text
        if "gss_code_dfe" in self.index:
            text = cell("gss_code_dfe")
            if text and not GSS_CODE.match(text):
                problems.add(number, col("gss_code_dfe"), f"bad code {text!r}")
                ok = False
            values["gss_code_dfe"] = text if text != values["gss_code"] else ""
        for name, limit in (("name", _NAME_MAX), ("region_name", _REGION_NAME_MAX)):
            text = cell(name)
            if not text:
                problems.add(number, col(name), "empty")
                ok = False
            elif len(text) > limit:
                problems.add(number, col(name), f"longer than {limit} characters")
                ok = False
            values[name] = text
        type_value = cell("area_type")
        rule = mapping.type_rule(type_value)
        if rule is None or rule.kind not in AreaType.values:
            problems.add(
                number,
                col("area_type"),
                f"unknown type {type_value!r}: add it to mapping {mapping.name}",
            )
            ok = False
        else:
            values["area_type"] = rule.kind
        for name, limit in (("ofsted_urn", _URN_MAX), ("website", _WEBSITE_MAX)):
            if name in self.index:
                text = cell(name)
                if len(text) > limit:
                    problems.add(number, col(name), f"longer than {limit} characters")
                    ok = False
                values[name] = text
        if "population_0_25" in self.index:
            text = cell("population_0_25")
            values["population_0_25"] = None
            if text:
                try:
                    values["population_0_25"] = parse_count(text, most=POPULATION_MAX)
                except ValueError as exc:
                    problems.add(number, col("population_0_25"), str(exc))
                    ok = False
        neighbours: list[str] = []
        if "statistical_neighbours" in self.index:
            neighbours = [c.strip() for c in cell("statistical_neighbours").split(",")]
            neighbours = [c for c in neighbours if c]
            bad = [c for c in neighbours if not GSS_CODE.match(c)]
            if bad:
                problems.add(number, col("statistical_neighbours"), f"bad code {bad[0]!r}")
                ok = False
            elif len(set(neighbours)) != len(neighbours):
                problems.add(number, col("statistical_neighbours"), "a neighbour appears twice")
                ok = False
        return _Row(number, values, neighbours) if ok else None


def _match(rows: list[_Row]) -> dict[int, Area]:
    """The registry's area for each row (by row number): by GSS code, else by LA code."""
    gss = [r.values["gss_code"] for r in rows]
    la = [r.values["la_code"] for r in rows]
    by_gss = {a.gss_code: a for a in Area.objects.filter(gss_code__in=gss)}
    by_la = {a.la_code: a for a in Area.objects.filter(la_code__in=la)}
    found = {}
    for row in rows:
        area = by_gss.get(row.values["gss_code"]) or by_la.get(row.values["la_code"])
        if area is not None:
            found[row.number] = area
    return found


def _neighbour_ids(
    rows: list[_Row], areas: dict[int, Area], mapping: Mapping, problems: Problems
) -> dict[int, list[int]]:
    """Each row's neighbours as area ids, in rank order; unknown codes are problems."""
    ids: dict[str, int] = {}
    for gss_code, gss_code_dfe, pk in Area.objects.values_list("gss_code", "gss_code_dfe", "pk"):
        ids[gss_code] = pk
        if gss_code_dfe:
            ids.setdefault(gss_code_dfe, pk)
    for row in rows:
        area = areas[row.number]
        ids[row.values["gss_code"]] = area.pk
        if row.values.get("gss_code_dfe"):
            ids[row.values["gss_code_dfe"]] = area.pk
    column = mapping.columns.get("statistical_neighbours", "")
    result = {}
    for row in rows:
        unknown = [c for c in row.neighbours if c not in ids]
        if unknown:
            problems.add(row.number, column, f"unknown area {unknown[0]!r}")
            continue
        result[row.number] = [ids[c] for c in row.neighbours]
    return result


def areas_import(
    *,
    path: Path,
    mapping: Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    user: Any = None,
) -> ImportResult:
    """Import areas from a CSV or XLSX file: everything, or nothing and ImportFileError."""
    table = table_open(path=path, progress=progress)
    chosen = mapping_resolve(applies_to="areas", header=table.header, path=path, given=mapping)
    result = ImportResult(path=path, mapping=chosen.name, dry_run=dry_run)
    problems = Problems(path)
    parser = _Parser(chosen, table.header, problems)
    rows: list[_Row] = []
    for number, raw in table.rows:
        result.rows += 1
        parsed = parser.parse(number, raw)
        if parsed is not None:
            rows.append(parsed)
    if result.rows == 0:
        problems.add(None, None, "the file has a header but no rows")
    problems.raise_if_any()
    reason = change_reason("areas", path)
    with transaction.atomic():
        _write(rows, chosen, problems, result, reason, user)
        problems.raise_if_any()
        if dry_run:
            transaction.set_rollback(True)
    return result


def _write(
    rows: list[_Row],
    mapping: Mapping,
    problems: Problems,
    result: ImportResult,
    reason: str,
    user: Any,
) -> None:
    existing = _match(rows)
    # A code the file gives to a different area than the registry's would break uniqueness.
    for code in ("gss_code", "la_code"):
        taken = dict(Area.objects.values_list(code, "pk"))
        for row in rows:
            owner = taken.get(row.values[code])
            mine = existing.get(row.number)
            if owner is not None and (mine is None or mine.pk != owner):
                problems.add(
                    row.number,
                    mapping.columns[code],
                    f"{row.values[code]} is the code of another area in the registry",
                )
    problems.raise_if_any()
    creates = {row.number: Area(**row.values) for row in rows if row.number not in existing}
    if creates:
        bulk_create_with_history(
            list(creates.values()), Area, default_user=user, default_change_reason=reason
        )
        # Primary keys: set by bulk_create on PostgreSQL and SQLite; read back to be sure.
        pks = dict(
            Area.objects.filter(gss_code__in=[a.gss_code for a in creates.values()]).values_list(
                "gss_code", "pk"
            )
        )
        for area in creates.values():
            area.pk = pks[area.gss_code]
            result.note(Change(area.gss_code, "create", {}))
    areas = {**existing, **creates}
    neighbours = _neighbour_ids(rows, areas, mapping, problems)
    problems.raise_if_any()
    if "statistical_neighbours" not in mapping.columns:
        neighbours = {}

    codes = dict(Area.objects.values_list("pk", "gss_code"))
    ranked: dict[int, list[int]] = {}
    for area_id, neighbour_id in StatisticalNeighbour.objects.filter(
        area_id__in=[a.pk for a in areas.values()]
    ).values_list("area_id", "neighbour_id"):  # ordered by area, rank (Meta.ordering)
        ranked.setdefault(area_id, []).append(neighbour_id)
    updates: list[Area] = []
    updated_fields: set[str] = set()
    relink: list[int] = []
    for row in rows:
        area = areas[row.number]
        before, after = ranked.get(area.pk, []), neighbours.get(row.number)
        changes = diff(area, row.values) if row.number in existing else {}
        if after is not None and before != after:
            relink.append(row.number)
            changes["statistical_neighbours"] = (
                ", ".join(codes[n] for n in before),
                ", ".join(codes[n] for n in after),
            )
        if row.number not in existing:
            continue
        if not changes:
            result.unchanged += 1
            continue
        for name, (_, value) in changes.items():
            if name != "statistical_neighbours":
                setattr(area, name, value)
                updated_fields.add(name)
        area.version += 1
        updates.append(area)
        result.note(Change(row.values["gss_code"], "update", changes))
    if updates:
        bulk_update_with_history(
            updates,
            Area,
            fields=sorted(updated_fields | {"version"}),
            default_user=user,
            default_change_reason=reason,
        )
    if relink:
        StatisticalNeighbour.objects.filter(area_id__in=[areas[n].pk for n in relink]).delete()
        StatisticalNeighbour.objects.bulk_create(
            StatisticalNeighbour(area_id=areas[n].pk, neighbour_id=neighbour_id, rank=rank)
            for n in relink
            for rank, neighbour_id in enumerate(neighbours[n], 1)
        )
