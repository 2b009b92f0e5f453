"""Reading the area's pseudonymised list of children, before anything is replaced.

Every row and field is checked and every problem is named by file, row and field, so the area
can put the list right; nothing is written here. The list's size is bounded
(`MAX_CASE_LIST_ROWS`): a longer file is refused as soon as the row past the limit is read.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.template.defaultfilters import pluralize

from .models import CaseCategory, CaseFile
from .screening import screen

# The largest list taken. Not from the documents: the largest English council has some 15,000
# children in need at a time (DfE, Characteristics of children in need); the limit leaves room
# for every child known to every service, and keeps an import to seconds.
MAX_CASE_LIST_ROWS = 100_000

COLUMNS = ("reference", "age", "categories", "services")
# Case files are of children and young people: up to 25 for care leavers and those with
# learning difficulties and/or disabilities.
MAX_AGE = 25
REFERENCE_MAX_CHARS: int = CaseFile._meta.get_field("area_reference").max_length or 40
SERVICE_MAX_CHARS = 100
MAX_SERVICES = 20
CELL_MAX_CHARS = 1_000
# Problems shown at once; the rest are counted.
PROBLEMS_SHOWN = 20

AGE = re.compile(r"[0-9]{1,2}")  # ASCII digits only: "²" and "٣" are digits to str.isdigit()


@dataclass(frozen=True)
class CaseRow:
    row: int
    reference: str
    age: int
    categories: list[str]
    services: list[str]


@dataclass
class CaseListReading:
    """What the list holds, or what is wrong with it."""

    name: str
    rows: list[CaseRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        where = [self.name]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"field '{column}'")
        self.problems.append(f"{', '.join(where)}: {message}")

    def describe(self) -> str:
        shown = "; ".join(self.problems[:PROBLEMS_SHOWN])
        more = len(self.problems) - PROBLEMS_SHOWN
        return shown + (f"; and {more:,} more problem{pluralize(more)}" if more > 0 else "")


# The longest field the reader takes at all (the csv module's default); fields are checked
# against far smaller limits after reading.
CSV_FIELD_LIMIT = 131_072


def _quoted(value: str, limit: int = 20) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _decode(content: bytes, reading: CaseListReading) -> str | None:
    if b"\x00" in content:
        reading.problem(None, None, "this is not a CSV file (it holds binary data)")
        return None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = content[: exc.start].count(b"\n") + 1
        reading.problem(
            row, None, 'not UTF-8 text: save the list as "CSV UTF-8" and upload it again'
        )
        return None


def _header(cells: list[str], reading: CaseListReading) -> bool:
    names = [c.strip() for c in cells]
    twice = sorted({n for n in names if names.count(n) > 1 and n})
    if twice:
        reading.problem(1, None, f"the column {', '.join(twice)} appears more than once")
    other = [n for n in names if n not in COLUMNS]
    if other:
        reading.problem(
            1,
            None,
            "the list must hold only reference, age, categories and services: no names or "
            f"other details ({', '.join(_quoted(n) for n in other[:5])})",
        )
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        reading.problem(1, None, f"the list needs the columns {', '.join(COLUMNS)}")
    return not (twice or other or missing)


def _row(
    number: int, cells: dict[str, str], reading: CaseListReading, seen: dict[str, int]
) -> CaseRow | None:
    before = len(reading.problems)
    for column, value in cells.items():
        if len(value) > CELL_MAX_CHARS:
            reading.problem(
                number, column, f"{len(value):,} characters; at most {CELL_MAX_CHARS:,}"
            )
    if len(reading.problems) > before:
        return None
    reference = cells["reference"].strip()
    if not reference:
        reading.problem(number, "reference", "empty: every child needs the area's reference")
    elif len(reference) > REFERENCE_MAX_CHARS:
        reading.problem(
            number, "reference", f"{len(reference)} characters; at most {REFERENCE_MAX_CHARS}"
        )
    elif screen(reference):
        reading.problem(number, "reference", "looks like personal data")
    elif reference in seen:
        reading.problem(
            number, "reference", f"{_quoted(reference)} is also on row {seen[reference]}"
        )
    else:
        seen[reference] = number
    age = cells["age"].strip()
    if not AGE.fullmatch(age) or int(age) > MAX_AGE:
        reading.problem(number, "age", f"not an age from 0 to {MAX_AGE}: {_quoted(age)}")
    categories = [c.strip() for c in cells["categories"].split(";") if c.strip()]
    unknown = [c for c in categories if c not in CaseCategory.values]
    if unknown:
        reading.problem(
            number,
            "categories",
            f"unknown {', '.join(_quoted(c) for c in unknown[:3])} "
            f"(known: {', '.join(CaseCategory.values)})",
        )
    services = [s.strip() for s in cells["services"].split(";") if s.strip()]
    if len(services) > MAX_SERVICES:
        reading.problem(number, "services", f"{len(services)} services; at most {MAX_SERVICES}")
    long = [s for s in services if len(s) > SERVICE_MAX_CHARS]
    if long:
        reading.problem(
            number,
            "services",
            f"a service of {len(long[0])} characters; at most {SERVICE_MAX_CHARS}",
        )
    if len(reading.problems) > before:
        return None
    return CaseRow(number, reference, int(age), list(dict.fromkeys(categories)), services)


def case_list_read(*, content: bytes | str, name: str) -> CaseListReading:
    """Check the list (CSV: reference, age, categories, services; categories and services
    separated by ';') and return its rows, or the problems with it. A file with more than
    `MAX_CASE_LIST_ROWS` children is refused without reading further."""
    reading = CaseListReading(name=name)
    text = _decode(content, reading) if isinstance(content, bytes) else content
    if text is None:
        return reading
    if "\x00" in text:
        reading.problem(None, None, "this is not a CSV file (it holds binary data)")
        return reading
    # The csv module's field limit is process-wide and other readers raise it: set ours each time,
    # so a field past it is refused whatever was read before.
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text))
    seen: dict[str, int] = {}
    header: list[str] | None = None
    children = 0
    try:
        for cells in reader:
            if header is None:
                header = [c.strip() for c in cells]
                if not _header(cells, reading):
                    return reading
                continue
            if not any(c.strip() for c in cells):
                continue  # a blank line
            children += 1
            if children > MAX_CASE_LIST_ROWS:
                reading.problems = []
                reading.rows = []
                reading.problem(
                    None,
                    None,
                    f"the list has more than {MAX_CASE_LIST_ROWS:,} children; the largest list "
                    f"taken is {MAX_CASE_LIST_ROWS:,}",
                )
                return reading
            if len(cells) != len(header):
                reading.problem(
                    reader.line_num,
                    None,
                    f"{len(cells)} fields where the header has {len(header)}",
                )
                continue
            row = _row(reader.line_num, dict(zip(header, cells, strict=True)), reading, seen)
            if row is not None:
                reading.rows.append(row)
    except csv.Error as exc:
        reading.problem(max(reader.line_num, 1), None, f"not valid CSV: {exc}")
        return reading
    if header is None:
        reading.problem(1, None, f"the file is empty: it needs the header {','.join(COLUMNS)}")
    return reading
