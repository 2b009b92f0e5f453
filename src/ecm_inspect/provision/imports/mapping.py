"""Mapping files for published inspection outcomes: which columns hold the inspected provider,
each inspection event and its grades, which key judgements each published grade informs, and
which converter turns the source's scale into the Framework's (docs/provision.md).

The files are in provision/data/mappings/; edit them (reviewed in git) or give your own with
`--mapping FILE`. A file is recognised by its header: every column its mapping names must be
there.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ecm_inspect.framework.models import InspectorateCode
from ecm_inspect.registry.imports import ImportFileError, Problem

from .converters import CONVERTERS, Converter

MAPPINGS_DIR = Path(__file__).resolve().parent.parent / "data" / "mappings"

TOP_KEYS = {
    "name",
    "title",
    "applies_to",
    "published_by",
    "inspectorate",
    "others_taking_part",
    "statutory_framework",
    "converter",
    "date_format",
    "provider",
    "children",
    "events",
    "event_types",
    "date_unknown",
}
EVENT_KEYS = {"reference", "date", "published_on", "type", "grades"}


class MappingError(ImportFileError):
    """The mapping file itself is wrong."""


@dataclass(frozen=True)
class EventColumns:
    """Where one inspection event is in a row (a file may hold the latest and the previous)."""

    reference: str  # column; "" = the provider's URN is the reference
    date: str  # column; "" = the date is unknown (see date_unknown)
    published_on: str
    type: str
    grades: dict[str, list[str]]  # column -> key judgement codes


@dataclass
class InspectionMapping:
    name: str
    title: str
    path: Path
    published_by: str
    inspectorate: str
    others_taking_part: list[str]
    statutory_framework: str
    converter_name: str
    converter: Converter
    date_format: str
    provider_urn: str = ""
    area_la_code: str = ""
    area_provider_kind: str = ""
    area_provider_name: str = ""
    children: str = ""
    events: list[EventColumns] = field(default_factory=list)
    event_types: dict[str, str] = field(default_factory=dict)  # casefold -> "" or skip reason
    date_unknown_by: datetime.date | None = None
    date_unknown_use_published_on: bool = False

    @property
    def required_columns(self) -> list[str]:
        cols = [c for c in (self.provider_urn, self.area_la_code) if c]
        if self.children:
            cols.append(self.children)
        for event in self.events:
            cols += [c for c in (event.reference, event.date, event.published_on, event.type) if c]
            cols += list(event.grades)
        return cols

    @property
    def key_judgement_codes(self) -> set[str]:
        return {code for e in self.events for codes in e.grades.values() for code in codes}


def _fail(path: Path, where: str | None, message: str) -> MappingError:
    return MappingError(path, [Problem(None, where, message)])


def _event(path: Path, index: int, data: Any) -> EventColumns:
    where = f"events[{index}]"
    if not isinstance(data, dict) or not set(data) <= EVENT_KEYS:
        raise _fail(path, where, f"expected keys among {', '.join(sorted(EVENT_KEYS))}")
    grades = data.get("grades") or {}
    if not isinstance(grades, dict) or not grades:
        raise _fail(path, f"{where}.grades", "map at least one grade column to key judgements")
    seen: dict[str, str] = {}
    parsed: dict[str, list[str]] = {}
    for column, codes in grades.items():
        if not isinstance(codes, list):
            raise _fail(path, f"{where}.grades.{column}", "a list of key judgement codes")
        for code in codes:
            if code in seen:
                raise _fail(
                    path,
                    f"{where}.grades.{column}",
                    f"{code} is already informed by {seen[code]}: one column per key judgement",
                )
            seen[str(code)] = str(column)
        parsed[str(column)] = [str(c) for c in codes]
    return EventColumns(
        reference=str(data.get("reference") or ""),
        date=str(data.get("date") or ""),
        published_on=str(data.get("published_on") or ""),
        type=str(data.get("type") or ""),
        grades=parsed,
    )


def inspection_mapping_load(path: Path) -> InspectionMapping:
    """Read and check a mapping file for published inspection outcomes."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _fail(path, None, f"cannot read the mapping: {exc}") from None
    if not isinstance(data, dict):
        raise _fail(path, None, "a mapping file is a YAML mapping")
    if data.get("applies_to") != "inspections":
        raise _fail(path, "applies_to", "must be inspections")
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise _fail(path, unknown[0], "not a key of an inspections mapping")
    bodies = [data.get("inspectorate"), *(data.get("others_taking_part") or [])]
    for body in bodies:
        if body not in InspectorateCode.values:
            raise _fail(path, "inspectorate", f"{body!r} is not an inspectorate code")
    converter = str(data.get("converter") or "")
    if converter not in CONVERTERS:
        raise _fail(path, "converter", f"one of {', '.join(sorted(CONVERTERS))}")
    provider = data.get("provider") or {}
    if not isinstance(provider, dict) or not (provider.get("urn") or provider.get("area_la_code")):
        raise _fail(path, "provider", "give urn (a column) or area_la_code (a column)")
    events = [_event(path, i, e) for i, e in enumerate(data.get("events") or [])]
    if not events:
        raise _fail(path, "events", "describe at least one inspection event")
    unknown_date = data.get("date_unknown") or {}
    if any(not e.date for e in events) and not unknown_date.get("latest"):
        raise _fail(path, "date_unknown", "an event without a date column needs date_unknown")
    if not set(unknown_date) <= {"latest", "use_published_on"}:
        raise _fail(path, "date_unknown", "give latest (a date) and/or use_published_on")
    event_types: dict[str, str] = {}
    for label, rule in (data.get("event_types") or {}).items():
        if rule == "include":
            event_types[str(label).casefold()] = ""
        elif isinstance(rule, dict) and rule.get("skip"):
            event_types[str(label).casefold()] = str(rule["skip"])
        else:
            raise _fail(path, f"event_types.{label}", "include, or {skip: reason}")
    return InspectionMapping(
        name=str(data.get("name") or path.stem),
        title=str(data.get("title") or path.stem),
        path=path,
        published_by=str(data.get("published_by") or ""),
        inspectorate=str(data["inspectorate"]),
        others_taking_part=[str(b) for b in data.get("others_taking_part") or []],
        statutory_framework=str(data.get("statutory_framework") or ""),
        converter_name=converter,
        converter=CONVERTERS[converter],
        date_format=str(data.get("date_format") or "%Y-%m-%d"),
        provider_urn=str(provider.get("urn") or ""),
        area_la_code=str(provider.get("area_la_code") or ""),
        area_provider_kind=str(provider.get("kind") or ""),
        area_provider_name=str(provider.get("name") or "{area}"),
        children=str(data.get("children") or ""),
        events=events,
        event_types=event_types,
        date_unknown_by=(
            datetime.date.fromisoformat(str(unknown_date["latest"]))
            if unknown_date.get("latest")
            else None
        ),
        date_unknown_use_published_on=bool(unknown_date.get("use_published_on")),
    )


def inspection_mappings_shipped() -> list[InspectionMapping]:
    return [inspection_mapping_load(p) for p in sorted(MAPPINGS_DIR.glob("*.yaml"))]


def inspection_mapping_resolve(
    *, header: list[str], path: Path, given: Path | str | None
) -> InspectionMapping:
    """The mapping given (a file or a shipped name), or the shipped one the header fits."""
    if given is not None:
        candidate = Path(given)
        if not candidate.is_file() and (MAPPINGS_DIR / f"{given}.yaml").is_file():
            candidate = MAPPINGS_DIR / f"{given}.yaml"
        mapping = inspection_mapping_load(candidate)
        missing = [c for c in mapping.required_columns if c not in header]
        if missing:
            raise ImportFileError(
                path,
                [Problem(1, c, f"missing column (mapping {mapping.name})") for c in missing],
            )
        return mapping
    shipped = inspection_mappings_shipped()
    fits = [m for m in shipped if all(c in header for c in m.required_columns)]
    if fits:
        # The most specific mapping: the one that names the most columns.
        return max(fits, key=lambda m: len(m.required_columns))
    best = max(shipped, key=lambda m: sum(c in header for c in m.required_columns))
    problems = [
        Problem(1, c, f"missing column (closest known format: {best.name})")
        for c in best.required_columns
        if c not in header
    ]
    names = ", ".join(m.name for m in shipped)
    problems.append(
        Problem(
            1,
            None,
            f"the header matches no known inspection outcome format ({names}); "
            "give one with --mapping",
        )
    )
    raise ImportFileError(path, problems)
