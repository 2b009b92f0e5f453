"""Mapping files: how the columns and types of a public file map onto the registry.

Each public format we support has one, in registry/data/mappings/ (documented in
docs/registry.md). A mapping is chosen by recognising the file's header (every column it
names must be there), or given with `--mapping`.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from ecm_inspect.core.imports.errors import ImportFileError, Problem

MAPPINGS_DIR = Path(__file__).resolve().parent.parent / "data" / "mappings"

Target = Literal["areas", "providers"]

AREA_FIELDS = {
    "gss_code": True,
    "gss_code_dfe": False,
    "la_code": True,
    "name": True,
    "region_code": True,
    "region_name": True,
    "area_type": True,
    "ofsted_urn": False,
    "population_0_25": False,
    "website": False,
    "statistical_neighbours": False,
}
PROVIDER_FIELDS = {
    "urn": True,
    "name": False,
    "type": True,
    "phase": False,
    "area_la_code": False,
    "area_gss_code": False,
    "area_name": False,
    "registered_on": False,
    "closed_on": False,
    "postcode": False,
}
AREA_KEYS = ("area_la_code", "area_gss_code", "area_name")


@dataclass(frozen=True)
class TypeRule:
    """What one of the source's own types becomes: a kind, a kind by phase, or skipped."""

    kind: str = ""
    label: str = ""
    by_phase: bool = False
    skip: str = ""


@dataclass
class Mapping:
    name: str
    title: str
    applies_to: Target
    path: Path
    columns: dict[str, str]
    types: dict[str, TypeRule] = field(default_factory=dict)
    by_phase: dict[str, TypeRule] = field(default_factory=dict)
    select_column: str = ""
    select_value: str = ""
    name_template: str = ""
    urn_pattern: re.Pattern[str] | None = None
    date_format: str = "%Y-%m-%d"
    address_columns: list[str] = field(default_factory=list)
    area_aliases: dict[str, str] = field(default_factory=dict)
    skip_areas: dict[str, str] = field(default_factory=dict)

    @property
    def required_columns(self) -> list[str]:
        cols = list(self.columns.values()) + self.address_columns
        if self.select_column:
            cols.append(self.select_column)
        return cols

    @property
    def area_key(self) -> str:
        """Which of area_la_code, area_gss_code, area_name the file gives."""
        return next(k for k in AREA_KEYS if k in self.columns)

    def type_rule(self, value: str) -> TypeRule | None:
        return self.types.get(value.casefold())

    def phase_rule(self, value: str) -> TypeRule | None:
        return self.by_phase.get(value.casefold())


class MappingError(ImportFileError):
    """The mapping file itself is wrong."""


def _rule(path: Path, where: str, value: Any) -> TypeRule:
    if isinstance(value, str):
        return TypeRule(kind=value)
    if not isinstance(value, dict) or not set(value) <= {"kind", "label", "phase", "skip"}:
        raise MappingError(path, [Problem(None, where, "expected {kind, label} or {skip}")])
    rule = TypeRule(
        kind=str(value.get("kind", "")),
        label=str(value.get("label", "")),
        by_phase=bool(value.get("phase", False)),
        skip=str(value.get("skip", "")),
    )
    if sum((bool(rule.kind), rule.by_phase, bool(rule.skip))) != 1:
        raise MappingError(path, [Problem(None, where, "give one of kind, phase or skip")])
    return rule


def mapping_load(path: Path) -> Mapping:
    """Read and check a mapping file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise MappingError(path, [Problem(None, None, f"cannot read the mapping: {exc}")]) from None
    if not isinstance(data, dict):
        raise MappingError(path, [Problem(None, None, "a mapping file is a YAML mapping")])
    applies_to = data.get("applies_to")
    if applies_to not in ("areas", "providers"):
        raise MappingError(path, [Problem(None, "applies_to", "must be areas or providers")])
    known = AREA_FIELDS if applies_to == "areas" else PROVIDER_FIELDS
    columns = {str(k): str(v) for k, v in (data.get("columns") or {}).items()}
    problems = [
        Problem(None, f"columns.{k}", "not a field we import") for k in columns if k not in known
    ]
    problems += [
        Problem(None, f"columns.{k}", "is required")
        for k, req in known.items()
        if req and k not in columns
    ]
    if applies_to == "providers" and not any(k in columns for k in AREA_KEYS):
        problems.append(Problem(None, "columns", f"give one of {', '.join(AREA_KEYS)}"))
    if applies_to == "providers" and "name" not in columns and not data.get("name_template"):
        problems.append(Problem(None, "name_template", "needed when there is no name column"))
    if problems:
        raise MappingError(path, problems)
    select = data.get("select") or {}
    skip_areas = data.get("skip_areas") or {}
    mapping = Mapping(
        name=str(data.get("name") or path.stem),
        title=str(data.get("title") or path.stem),
        applies_to=applies_to,
        path=path,
        columns=columns,
        types={
            str(k).casefold(): _rule(path, f"types.{k}", v)
            for k, v in (data.get("types") or {}).items()
        },
        by_phase={
            str(k).casefold(): _rule(path, f"by_phase.{k}", v)
            for k, v in (data.get("by_phase") or {}).items()
        },
        select_column=str(select.get("column", "")),
        select_value=str(select.get("value", "")),
        name_template=str(data.get("name_template") or ""),
        urn_pattern=re.compile(data["urn_pattern"]) if data.get("urn_pattern") else None,
        date_format=str(data.get("date_format") or "%Y-%m-%d"),
        address_columns=[str(c) for c in data.get("address_columns") or []],
        area_aliases={str(k): str(v) for k, v in (data.get("area_aliases") or {}).items()},
        skip_areas={
            str(n): str(skip_areas.get("reason", "skipped by the mapping"))
            for n in skip_areas.get("names", []) + skip_areas.get("codes", [])
        },
    )
    if applies_to == "providers" and not mapping.types:
        raise MappingError(path, [Problem(None, "types", "map the source's types to kinds")])
    return mapping


def mappings_shipped(applies_to: Target) -> list[Mapping]:
    found = [mapping_load(p) for p in sorted(MAPPINGS_DIR.glob("*.yaml"))]
    return [m for m in found if m.applies_to == applies_to]


def mapping_resolve(
    *, applies_to: Target, header: list[str], path: Path, given: Path | str | None
) -> Mapping:
    """The mapping to use: the one given (a file, or the name of a shipped mapping), or the
    shipped mapping whose columns are all in the header."""
    if given is not None:
        candidate = Path(given)
        if not candidate.is_file() and (MAPPINGS_DIR / f"{given}.yaml").is_file():
            candidate = MAPPINGS_DIR / f"{given}.yaml"
        mapping = mapping_load(candidate)
        if mapping.applies_to != applies_to:
            raise MappingError(
                candidate,
                [Problem(None, "applies_to", f"this mapping is for {mapping.applies_to}")],
            )
        missing = [c for c in mapping.required_columns if c not in header]
        if missing:
            raise ImportFileError(
                path,
                [Problem(1, c, f"missing column (mapping {mapping.name})") for c in missing],
            )
        return mapping
    shipped = mappings_shipped(applies_to)
    for mapping in shipped:
        if all(c in header for c in mapping.required_columns):
            return mapping
    # Report the missing columns of the closest mapping: usually a renamed or deleted column.
    best = max(shipped, key=lambda m: sum(c in header for c in m.required_columns))
    missing = [c for c in best.required_columns if c not in header]
    names = ", ".join(m.name for m in shipped)
    return_problems = [
        Problem(1, c, f"missing column (closest known format: {best.name})") for c in missing
    ]
    return_problems.append(
        Problem(
            1,
            None,
            f"the header matches no known {applies_to} format ({names}); give one with --mapping",
        )
    )
    raise ImportFileError(path, return_problems)
