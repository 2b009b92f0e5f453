"""`inspections_import`: published inspection outcomes from a public file, all or nothing.

Rules (docs/provision.md, "Importing published outcomes"):
- The file is read with the registry's reader (CSV UTF-8 or XLSX, streamed) and checked row by
  row; every problem is reported with its row and column, and if there is any, nothing is
  written (one transaction).
- Each row names a provider in the registry by URN (rows of providers the registry does not
  have are skipped and counted: import providers first), or an area whose partnership is the
  inspected body (created as a provider if missing).
- Each event in a row (e.g. the latest and the previous inspection) is one setting inspection,
  identified by the mapping's name and the event's reference; a reference seen again later in
  the file replaces the earlier one. Each published grade is converted by the mapping's
  converter and recorded on the key judgements the mapping says it informs and the relevance
  matrix marks as relevant to the provider's kind for the inspectorate.
- Idempotent: an inspection already imported with the same values is not written again; one
  whose grades or dates changed is updated (version up, history kept).
"""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from ecm_inspect.core.imports.common import COUNT_MAX, change_reason, parse_date
from ecm_inspect.core.imports.errors import Problems
from ecm_inspect.core.imports.reading import table_open
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import KeyJudgement, ProviderKind, Relevance
from ecm_inspect.framework.selectors import in_force_code
from ecm_inspect.registry.imports import ImportFileError, ImportResult
from ecm_inspect.registry.models import Area, Inspectorate, Provider

from ..models import Judgement, SettingInspection
from .inspection_writes import inspections_write
from .mapping import InspectionMapping, inspection_mapping_resolve

Progress = Callable[[int, int], None]
_REF_MAX = SettingInspection._meta.get_field("source_reference").max_length or 60
_SOURCE_GRADE_MAX = Judgement._meta.get_field("source_grade").max_length or 100


@dataclass
class _Event:
    reference: str
    row: int
    provider_key: str  # URN
    starts_on: datetime.date
    published_on: datetime.date | None
    children: int | None
    estimate: bool
    # key judgement id -> (grade, the published value)
    grades: dict[int, tuple[Grade, str]] = field(default_factory=dict)


@dataclass
class _AreaProvider:
    urn: str
    area_id: int
    name: str


class _Parser:
    def __init__(self, mapping: InspectionMapping, header: list[str], problems: Problems) -> None:
        self.mapping = mapping
        self.problems = problems
        self.index = {name: i for i, name in enumerate(header)}
        self.width = len(header)
        self.providers: dict[str, tuple[int, int]] = {
            urn: (pk, kind_id)
            for urn, pk, kind_id in Provider.objects.values_list("urn", "pk", "kind_id")
        }
        # Published outcomes are judged against the Framework in force (ADR 0005).
        version = in_force_code()
        self.kj_ids = dict(
            KeyJudgement.objects.filter(version__code=version).values_list("code", "pk")
        )
        self.relevant: dict[int, set[int]] = {}
        for kind_id, kj_id in Relevance.objects.filter(
            inspectorate=mapping.inspectorate, key_judgement__version__code=version
        ).values_list("provider_kind_id", "key_judgement_id"):
            self.relevant.setdefault(kind_id, set()).add(kj_id)
        self.areas = dict(Area.objects.values_list("la_code", "pk"))
        self.area_names = dict(Area.objects.values_list("pk", "name"))
        self.area_kind_id: int | None = None
        self.new_area_providers: dict[str, _AreaProvider] = {}
        self.events: dict[str, _Event] = {}
        self.skipped: dict[str, int] = {}

    def check_mapping(self) -> None:
        mapping = self.mapping
        if not self.kj_ids:
            self.problems.add(None, None, "the Framework is not loaded: run `ecm framework load`")
            return
        unknown = sorted(c for c in mapping.key_judgement_codes if c not in self.kj_ids)
        if unknown:
            self.problems.add(
                None,
                None,
                f"mapping {mapping.name} names key judgements the Framework does not have: "
                f"{', '.join(unknown)}",
            )
        if mapping.area_la_code:
            kind = ProviderKind.objects.filter(code=mapping.area_provider_kind).first()
            if kind is None:
                self.problems.add(
                    None,
                    None,
                    f"mapping {mapping.name}: unknown provider kind {mapping.area_provider_kind!r}",
                )
            else:
                self.area_kind_id = kind.pk
        codes = [mapping.inspectorate, *mapping.others_taking_part]
        have = set(Inspectorate.objects.filter(code__in=codes).values_list("code", flat=True))
        if set(codes) - have:
            self.problems.add(
                None, None, "the inspectorates are not loaded: run `ecm demo` or load them"
            )

    def _skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def _date(self, number: int, row: list[str], column: str) -> datetime.date | None:
        text = row[self.index[column]].strip()
        if not text:
            return None
        try:
            return parse_date(text, self.mapping.date_format)
        except ValueError as exc:
            self.problems.add(number, column, str(exc))
            raise

    def _provider(self, number: int, row: list[str]) -> tuple[str, int] | None:
        """The provider's URN and kind id, or None (skipped or a problem)."""
        mapping = self.mapping
        urn = row[self.index[mapping.provider_urn]].strip() if mapping.provider_urn else ""
        if mapping.area_la_code:
            la_code = row[self.index[mapping.area_la_code]].strip()
            area_id = self.areas.get(la_code)
            if area_id is None:
                self.problems.add(
                    number, mapping.area_la_code, f"unknown area {la_code!r} (a DfE LA code)"
                )
                return None
            if not urn:
                self.problems.add(number, mapping.provider_urn, "empty")
                return None
            found = self.providers.get(urn)
            if found is None:
                name = mapping.area_provider_name.format(area=self.area_names[area_id])
                self.new_area_providers[urn] = _AreaProvider(urn, area_id, name[:200])
                return urn, self.area_kind_id or 0
            return urn, found[1]
        if not urn:
            self.problems.add(number, mapping.provider_urn, "empty")
            return None
        found = self.providers.get(urn)
        if found is None:
            self._skip("provider not in the registry (import providers first)")
            return None
        return urn, found[1]

    def parse(self, number: int, row: list[str]) -> None:
        mapping = self.mapping
        if len(row) != self.width:
            self.problems.add(number, None, f"{len(row)} fields where the header has {self.width}")
            return
        provider = self._provider(number, row)
        if provider is None:
            return
        urn, kind_id = provider
        relevant = self.relevant.get(kind_id, set())
        children: int | None = None
        if mapping.children:
            text = row[self.index[mapping.children]].strip()
            if text:
                try:
                    number_of = float(text)
                    if not math.isfinite(number_of) or number_of < 0 or number_of > COUNT_MAX:
                        raise ValueError
                    children = int(number_of)
                except ValueError:
                    self.problems.add(
                        number, mapping.children, f"{text!r} is not a number of children"
                    )
                    return
        for event in mapping.events:
            reference = row[self.index[event.reference]].strip() if event.reference else urn
            if not reference:
                continue  # no such inspection (e.g. no previous one)
            if len(reference) > _REF_MAX:
                self.problems.add(number, event.reference, f"longer than {_REF_MAX} characters")
                continue
            if event.type:
                kind = row[self.index[event.type]].strip()
                rule = mapping.event_types.get(kind.casefold())
                if rule is None:
                    self.problems.add(
                        number, event.type, f"unknown event type {kind!r}: add it to the mapping"
                    )
                    continue
                if rule:
                    self._skip(f"{kind}: {rule}")
                    continue
            try:
                day = self._date(number, row, event.date) if event.date else None
                published = (
                    self._date(number, row, event.published_on) if event.published_on else None
                )
            except ValueError:
                continue
            estimate = day is None
            if day is None and mapping.date_unknown_use_published_on:
                day = published
            if day is None:
                day = mapping.date_unknown_by
            if day is None:
                self.problems.add(number, event.date, "empty: the inspection has no date")
                continue
            found = _Event(reference, number, urn, day, published, children, estimate)
            ok = True
            for column, codes in event.grades.items():
                value = row[self.index[column]].strip()
                try:
                    grade = mapping.converter(value)
                except ValueError as exc:
                    self.problems.add(number, column, f"{exc} ({mapping.converter_name})")
                    ok = False
                    continue
                if grade is None:
                    continue
                for code in codes:
                    kj_id = self.kj_ids[code]
                    if kj_id in relevant:
                        found.grades[kj_id] = (grade, value[:_SOURCE_GRADE_MAX])
            if not ok:
                continue
            if not found.grades:
                self._skip("no grade on a key judgement relevant to the provider's kind")
                continue
            if reference in self.events:
                self._skip("an inspection repeated later in the file (the later row is used)")
            self.events[reference] = found


def inspections_import(
    *,
    path: Path,
    mapping: Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    user: Any = None,
) -> ImportResult:
    """Import published inspection outcomes from a CSV or XLSX file: everything, or nothing
    and ImportFileError naming the row and column of each problem."""
    table = table_open(path=path, progress=progress)
    chosen = inspection_mapping_resolve(header=table.header, path=path, given=mapping)
    result = ImportResult(path=path, mapping=chosen.name, dry_run=dry_run)
    problems = Problems(path)
    reason = change_reason("inspections", path)
    with transaction.atomic():
        parser = _Parser(chosen, table.header, problems)
        parser.check_mapping()
        problems.raise_if_any()
        for number, row in table.rows:
            result.rows += 1
            parser.parse(number, row)
        if result.rows == 0:
            problems.add(None, None, "the file has a header but no rows")
        problems.raise_if_any()
        inspections_write(parser, chosen, result, reason, user)
        result.skipped.update(parser.skipped)
        if dry_run:
            transaction.set_rollback(True)
    return result


__all__ = ["ImportFileError", "inspections_import"]
