"""`ecm import area-inspections PATH`: earlier inspections of each area's children's services,
from the public sources the product ships (data/area_inspections/, docs/data-sources.md):

- Ofsted's inspections of local authority children's services (ILACS), one row per
  inspection, graded on Ofsted's scale (Outstanding, Good, Requires improvement to be good,
  Inadequate; 1 = best in Ofsted's files);
- the APA (2005-2008) and annual children's services rating (2009-2011) results of named
  councils, one row per judgement, already on the Framework's scale (`grade_4_high`).

The file's header says which it is; each source has its own converter to the Framework's scale
(4 = outstanding). All or nothing: every problem is named by row and field and nothing is
written; running it again changes nothing."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ecm_inspect.core.imports.common import Change, ImportResult, parse_date
from ecm_inspect.core.imports.errors import ImportFileError, Problem, Problems
from ecm_inspect.core.imports.reading import Progress, table_open
from ecm_inspect.registry.models import Area

from .models import AreaInspection, AreaInspectionJudgement, AreaInspectionKind, AreaJudgement

DATA_DIR = Path(__file__).resolve().parent / "data"
ILACS_FILE = DATA_DIR / "area_inspections" / "ilacs_before_2021.csv"
HISTORICAL_FILE = DATA_DIR / "historical" / "la_children_services_ratings_2005_2011_named.csv"

# Ofsted's words -> the Framework's scale (4 = outstanding).
OFSTED_WORDS = {
    "outstanding": 4,
    "good": 3,
    "requires improvement to be good": 2,
    "requires improvement": 2,
    "inadequate": 1,
}
# Ofsted wrote this where the inspection came before the judgement existed (care leavers were
# judged apart from 2019 on): not judged, never a grade.
NOT_JUDGED = {"inspection_pre_dates_judgement": "not judged: the inspection came before it"}
ILACS_COLUMNS = {
    "overall_effectiveness": AreaJudgement.OVERALL,
    "impact_of_leaders": AreaJudgement.LEADERS,
    "help_and_protection": AreaJudgement.HELP_AND_PROTECTION,
    "in_care": AreaJudgement.IN_CARE,
    "care_leavers": AreaJudgement.CARE_LEAVERS,
}
ILACS_REQUIRED = (
    "gss_code",
    "inspection_framework",
    "inspection_start_date",
    "inspection_end_date",
    "publication_date",
    *ILACS_COLUMNS,
)
HISTORICAL_REQUIRED = (
    "assessment",
    "assessment_year",
    "published",
    "gss_code_current",
    "judgement",
    "grade_label",
    "grade_4_high",
)
HISTORICAL_KINDS = {
    "apa": AreaInspectionKind.APA,
    "annual children's services rating": AreaInspectionKind.RATING,
    "jar": AreaInspectionKind.JAR,
}
# The judgement as the press and council papers wrote it -> ours; the first match wins.
HISTORICAL_JUDGEMENTS = (
    ("lowest", AreaJudgement.LOWEST),
    ("overall", AreaJudgement.OVERALL),
    ("all apa judgements", AreaJudgement.OVERALL),
    ("staying safe", AreaJudgement.SS),
    ("being healthy", AreaJudgement.BH),
    ("enjoying and achieving", AreaJudgement.EA),
    ("positive contribution", AreaJudgement.PC),
    ("economic well-being", AreaJudgement.EW),
    ("capacity to improve", AreaJudgement.CAPACITY),
    ("social care", AreaJudgement.SOCIAL_CARE),
    ("education", AreaJudgement.EDUCATION),
)
YEAR = re.compile(r"[0-9]{4}", flags=re.ASCII)
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})", flags=re.ASCII)
BEFORE = re.compile(r"before ([0-9]{4}-[0-9]{2}-[0-9]{2})", flags=re.ASCII)
SKIPPED_NO_YEAR = "year not stated: cannot be placed in time"


@dataclass
class InspectionRow:
    """One inspection as read from a file, before it is written."""

    area: Area
    kind: str
    year: int
    published_on: datetime.date
    published_estimated: bool = False
    framework: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    judgements: dict[str, tuple[int | None, str]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.area.gss_code} {self.kind} {self.year}"


def ofsted_grade(words: str) -> tuple[int | None, str]:
    """Ofsted's published words on the Framework's scale, with the words kept; ValueError if
    they are not Ofsted's."""
    text = words.strip()
    if text.lower() in NOT_JUDGED:
        return None, NOT_JUDGED[text.lower()]
    if text.lower() not in OFSTED_WORDS:
        raise ValueError(f"{text!r} is not one of Ofsted's grades ({', '.join(OFSTED_WORDS)})")
    return OFSTED_WORDS[text.lower()], text


def published_date(text: str, year: int) -> tuple[datetime.date, bool]:
    """When a historical result was public, and whether the date is estimated: a whole date as
    written; a month its last day; "before" a date the day before; else 31 December of the
    year assessed (the APA letters were published each December)."""
    value = text.strip()
    try:
        return datetime.date.fromisoformat(value), False
    except ValueError:
        pass
    if m := BEFORE.fullmatch(value):
        return datetime.date.fromisoformat(m[1]) - datetime.timedelta(days=1), True
    if (m := MONTH.fullmatch(value)) and 1 <= int(m[2]) <= 12:
        y, month = int(m[1]), int(m[2])
        return datetime.date(y, month, calendar.monthrange(y, month)[1]), True
    return datetime.date(year, 12, 31), True


def _areas() -> dict[str, Area]:
    found: dict[str, Area] = {}
    for area in Area.objects.all():
        found[area.gss_code] = area
        if area.la_code:
            found.setdefault(str(area.la_code), area)
    return found


def _ilacs_rows(cells_of: Callable[[str], str], number: int, areas: dict[str, Area],
                problems: Problems, rows: dict[str, InspectionRow]) -> None:  # fmt: skip
    area = areas.get(cells_of("gss_code")) or areas.get(cells_of("la_code"))
    if area is None:
        problems.add(number, "gss_code", f"no area has the code {cells_of('gss_code')!r}")
        return
    dates: dict[str, datetime.date] = {}
    for column in ("inspection_start_date", "inspection_end_date", "publication_date"):
        try:
            dates[column] = parse_date(cells_of(column), "%Y-%m-%d")
        except ValueError as e:
            problems.add(number, column, str(e))
    judgements: dict[str, tuple[int | None, str]] = {}
    for column, judgement in ILACS_COLUMNS.items():
        try:
            judgements[judgement] = ofsted_grade(cells_of(column))
        except ValueError as e:
            problems.add(number, column, str(e))
    if len(dates) < 3:
        return
    in_order = True
    if dates["inspection_end_date"] < dates["inspection_start_date"]:
        problems.add(number, "inspection_end_date", "it is before the inspection started")
        in_order = False
    elif dates["publication_date"] < dates["inspection_end_date"]:
        problems.add(number, "publication_date", "it is before the inspection ended")
        in_order = False
    if not in_order or len(judgements) < len(ILACS_COLUMNS):
        return
    row = InspectionRow(
        area=area,
        kind=AreaInspectionKind.ILACS,
        year=dates["inspection_start_date"].year,
        published_on=dates["publication_date"],
        framework=cells_of("inspection_framework")[:60],
        starts_on=dates["inspection_start_date"],
        ends_on=dates["inspection_end_date"],
        judgements=judgements,
    )
    if row.key in rows:
        problems.add(number, "inspection_start_date", f"a second inspection of {row.key}")
        return
    rows[row.key] = row


def _historical_judgement(text: str) -> str | None:
    lowered = text.lower()
    return next((ours for words, ours in HISTORICAL_JUDGEMENTS if words in lowered), None)


def _historical_rows(cells_of: Callable[[str], str], number: int, areas: dict[str, Area],
                     problems: Problems, rows: dict[str, InspectionRow],
                     result: ImportResult) -> None:  # fmt: skip
    area = areas.get(cells_of("gss_code_current")) or areas.get(cells_of("la_code"))
    if area is None:
        code = cells_of("gss_code_current")
        problems.add(number, "gss_code_current", f"no area has the code {code!r}")
        return
    kind = HISTORICAL_KINDS.get(cells_of("assessment").lower())
    if kind is None:
        problems.add(
            number, "assessment", f"{cells_of('assessment')!r} is not APA, JAR or a rating"
        )
        return
    year_text = cells_of("assessment_year")
    if not YEAR.fullmatch(year_text):
        result.skipped[SKIPPED_NO_YEAR] += 1
        return
    judgement = _historical_judgement(cells_of("judgement"))
    if judgement is None:
        problems.add(number, "judgement", f"{cells_of('judgement')!r} is not a judgement we know")
    grade_text = cells_of("grade_4_high")
    if grade_text not in ("1", "2", "3", "4"):
        problems.add(number, "grade_4_high", f"{grade_text!r} is not a grade from 1 to 4")
    if judgement is None or grade_text not in ("1", "2", "3", "4"):
        return
    year = int(year_text)
    published_on, estimated = published_date(cells_of("published"), year)
    row = InspectionRow(
        area=area, kind=kind, year=year, published_on=published_on, published_estimated=estimated
    )
    row = rows.setdefault(row.key, row)
    if judgement in row.judgements:
        problems.add(number, "judgement", f"{row.key} has this judgement twice")
        return
    row.judgements[judgement] = (int(grade_text), cells_of("grade_label")[:200])


def area_inspections_read(
    *, path: Path, progress: Progress | None = None, result: ImportResult
) -> list[InspectionRow]:
    """Every inspection in the file, checked; raises ImportFileError naming every problem."""
    table = table_open(path=path, progress=progress)
    header = [h.strip().lower() for h in table.header]
    if all(c in header for c in ILACS_REQUIRED):
        source = "ilacs"
    elif all(c in header for c in HISTORICAL_REQUIRED):
        source = "historical"
    else:
        raise ImportFileError(path, [Problem(1, None, (
            "this is neither Ofsted's ILACS file (columns " + ", ".join(ILACS_REQUIRED) + ") nor "
            "the historical APA and rating file (columns " + ", ".join(HISTORICAL_REQUIRED) + ")"
        ))])  # fmt: skip
    areas = _areas()
    problems = Problems(path)
    rows: dict[str, InspectionRow] = {}
    for number, cells in table.rows:

        def cells_of(name: str, cells: list[str] = cells) -> str:
            i = header.index(name) if name in header else len(cells)
            return cells[i].strip() if i < len(cells) else ""

        result.rows += 1
        if source == "ilacs":
            _ilacs_rows(cells_of, number, areas, problems, rows)
        else:
            _historical_rows(cells_of, number, areas, problems, rows, result)
    problems.raise_if_any()
    return list(rows.values())


def _same(found: AreaInspection, row: InspectionRow) -> bool:
    fields = ("framework", "starts_on", "ends_on", "published_on", "published_estimated")
    if any(getattr(found, f) != getattr(row, f) for f in fields):
        return False
    have = {j.judgement: (j.grade, j.as_published) for j in found.judgements.all()}
    return have == row.judgements


def area_inspections_import(
    *,
    path: Path,
    mapping: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import an ILACS or historical APA/rating file (see the module's docstring)."""
    if mapping:
        raise ImportFileError(path, [Problem(None, "mapping", "the header says the format")])
    result = ImportResult(path=path, mapping="area-inspections", dry_run=dry_run)
    rows = area_inspections_read(path=path, progress=progress, result=result)
    existing = {
        f"{i.area.gss_code} {i.kind} {i.year}": i
        for i in AreaInspection.objects.select_related("area").prefetch_related("judgements")
    }
    with transaction.atomic():
        for row in rows:
            found = existing.get(row.key)
            if found is not None and _same(found, row):
                result.unchanged += 1
                continue
            result.note(Change(row.key, "create" if found is None else "update", {}))
            if dry_run:
                continue
            inspection, _ = AreaInspection.objects.update_or_create(
                area=row.area, kind=row.kind, year=row.year,
                defaults={
                    "framework": row.framework, "starts_on": row.starts_on,
                    "ends_on": row.ends_on, "published_on": row.published_on,
                    "published_estimated": row.published_estimated, "source": path.name[:300],
                },
            )  # fmt: skip
            inspection.judgements.all().delete()
            AreaInspectionJudgement.objects.bulk_create(
                AreaInspectionJudgement(
                    inspection=inspection, judgement=j, grade=grade, as_published=words
                )
                for j, (grade, words) in row.judgements.items()
            )
    return result


def area_inspections_load() -> list[ImportResult]:
    """The shipped sources (the demo and a new installation): ILACS, then the historical APA
    and rating results."""
    return [area_inspections_import(path=p) for p in (ILACS_FILE, HISTORICAL_FILE)]
