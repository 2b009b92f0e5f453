"""`ecm import corporate-assessments PATH` and `ecm import cpa-categories PATH`: each council's
corporate assessment and CPA category from a CSV or XLSX file. All or nothing: every row is
checked with the form the page uses, any problem (row and field named) raises ImportFileError
and nothing is written; running it again changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms
from django.db import transaction

from ecm_inspect.core.imports.common import Change, ImportResult
from ecm_inspect.core.imports.errors import ImportFileError, Problem, Problems
from ecm_inspect.core.imports.reading import Progress, table_open

from .forms import CorporateAssessmentForm, CpaCategoryForm
from .models import CPA_BLOCKS, CorporateAssessment, CpaCategory
from .records import corporate_assessment_record, cpa_category_record

CA_COLUMNS = ("area_code", "starts_on", "ends_on", "option")
CA_OPTIONAL = ("shared_team_members",)
CPA_COLUMNS = ("area_code", "year", "stars")
CPA_OPTIONAL = ("direction_of_travel", "source", *(f"block_{b}" for b in CPA_BLOCKS))
# A form field's name -> the file's column.
_COLUMN = {"area": "area_code"}


def _rows(
    *,
    path: Path,
    mapping: str | None,
    progress: Progress | None,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    form_class: Callable[..., forms.Form],
) -> list[forms.Form]:
    """Each row checked by the form; raises ImportFileError with every problem found."""
    if mapping:
        raise ImportFileError(path, [Problem(None, "mapping", "this file has one format")])
    table = table_open(path=path, progress=progress)
    header = [h.strip().lower() for h in table.header]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError(path, [Problem(1, c, "this column is missing") for c in missing])
    problems = Problems(path)
    checked = []
    for number, cells in table.rows:
        data = {
            ("area" if name == "area_code" else name): (
                cells[header.index(name)].strip() if header.index(name) < len(cells) else ""
            )
            for name in (*required, *optional)
            if name in header
        }
        form = form_class(data)
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    problems.add(number, _COLUMN.get(field, field), str(error))
        checked.append(form)
    problems.raise_if_any()
    return checked


def corporate_assessments_import(
    *,
    path: Path,
    mapping: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Columns area_code (GSS or LA code), starts_on, ends_on (YYYY-MM-DD), option (1-4,
    Appendix 3), shared_team_members (optional: inspector ids or full names separated by
    semicolons). One per area and start date; a recorded one replaces the area's synthetic
    one."""
    checked = _rows(
        path=path, mapping=mapping, progress=progress, required=CA_COLUMNS,
        optional=CA_OPTIONAL, form_class=CorporateAssessmentForm,
    )  # fmt: skip
    result = ImportResult(path=path, mapping="corporate-assessments", dry_run=dry_run)
    with transaction.atomic():
        for form in checked:
            result.rows += 1
            data: dict[str, Any] = form.cleaned_data
            key = f"{data['area'].gss_code} {data['starts_on']}"
            found = CorporateAssessment.objects.filter(
                area=data["area"], starts_on=data["starts_on"], is_synthetic=False
            ).first()
            shared = sorted(i.pk for i in data["shared_team_members"])
            if found is not None and (
                found.ends_on,
                found.option,
                sorted(found.shared_team_members.values_list("pk", flat=True)),
            ) == (data["ends_on"], data["option"], shared):
                result.unchanged += 1
                continue
            result.note(Change(key, "create" if found is None else "update", {}))
            if not dry_run:
                corporate_assessment_record(
                    area=data["area"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                    option=data["option"], shared_team_members=data["shared_team_members"],
                )  # fmt: skip
    return result


def cpa_categories_import(
    *,
    path: Path,
    mapping: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Columns area_code, year, stars (0-4), and optionally direction_of_travel
    (improving_strongly, improving_well, improving_adequately, not_improving_adequately),
    source, and block_<block> for each CPA block (1-4). One per area and year."""
    checked = _rows(
        path=path, mapping=mapping, progress=progress, required=CPA_COLUMNS,
        optional=CPA_OPTIONAL, form_class=CpaCategoryForm,
    )  # fmt: skip
    result = ImportResult(path=path, mapping="cpa-categories", dry_run=dry_run)
    with transaction.atomic():
        for form in checked:
            result.rows += 1
            data: dict[str, Any] = form.cleaned_data
            values = {
                "stars": data["stars"],
                "direction_of_travel": data["direction_of_travel"],
                "block_scores": CpaCategoryForm.block_scores(form),  # type: ignore[arg-type]
                "source": data["source"],
            }
            found = CpaCategory.objects.filter(area=data["area"], year=data["year"]).first()
            if found is not None and all(getattr(found, k) == v for k, v in values.items()):
                result.unchanged += 1
                continue
            result.note(
                Change(
                    f"{data['area'].gss_code} {data['year']}",
                    "create" if found is None else "update",
                    {},
                )
            )
            if not dry_run:
                cpa_category_record(area=data["area"], year=data["year"], **values)
    return result
