"""The one way a CSV or XLSX file leaves ECM Inspect: every cell neutralised against formulas.

A spreadsheet program runs a cell that begins with `=`, `+`, `-` or `@` (and, in some programs,
a tab or carriage return before one) as a formula: `=HYPERLINK(...)` leaks data, `=cmd|...`
(DDE) runs a program. Anyone who can put text into the product (a name, a title, a reason)
could plant one in a file a colleague opens. So, following OWASP's "CSV Injection" advice:

- Text: a cell that begins with one of `= + - @ TAB CR` gets a single quote in front, which
  spreadsheet programs read as "this is text" (`=1+1` is exported as `'=1+1`). The quote is
  visible to a program that reads the file as data; that is the price of safety, and it is
  paid only by text that begins with one of those characters.
- Numbers stay numbers: a value the product computed and holds as `int`, `float` or `Decimal`
  (a grade, a count, a share such as -0.5) is written as a number, unquoted in CSV and as a
  numeric cell in XLSX. A number is never a formula, and it is not text anyone typed: a
  string that merely looks like a number (`"-1"`) is text and is quoted like any other.
- Dates stay dates in XLSX and are written as ISO 8601 (`2026-04-01`) in CSV.
- CSV quotes every text field (`csv.QUOTE_NONNUMERIC`), so a separator inside a text (a `;`
  where a spreadsheet splits on it) cannot start a new cell that begins a formula.
- Control characters (other than tab, line feed, carriage return) are dropped from text, in
  both formats: XLSX cannot hold them (the export would fail) and none may hide a formula.
- XLSX never holds a formula cell.

Use `csv_lines` (streaming) or `csv_text`, and `xlsx_bytes`; never `csv.writer` or openpyxl
directly in a view, service or command.
"""

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | Decimal | date | None


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return math.isfinite(value)


# Control characters XML (so XLSX) cannot hold; tab, line feed and carriage return it can.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def text_neutralise(text: str) -> str:
    """Text a spreadsheet program will show as text, never run as a formula. Control
    characters are dropped first, so none can hide a formula behind it."""
    text = CONTROL_CHARACTERS.sub("", text)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_neutralise(value: object) -> Cell:
    """One cell as it may leave the product: a finite number or a date as itself, anything
    else as neutralised text (None as an empty cell)."""
    if value is None:
        return None
    if _is_number(value) or isinstance(value, date):
        return value  # type: ignore[return-value]
    return text_neutralise(str(value))


class _Echo:
    """A file-like object that hands back what is written, for streaming."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value: object) -> str | int | float | Decimal:
    cell = cell_neutralise(value)
    if cell is None:
        return ""
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return cell


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The rows (the header first) as CSV lines, one at a time, for a streaming response."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_NONNUMERIC)
    for row in rows:
        yield writer.writerow([_csv_cell(v) for v in row])


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """The rows (the header first) as one CSV text."""
    return "".join(csv_lines(rows))


def dict_rows(fields: Sequence[str], records: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """A header of `fields`, then each record's values in that order (for `csv_text`)."""
    yield list(fields)
    for record in records:
        yield [record.get(f) for f in fields]


def xlsx_bytes(sheets: dict[str, Iterable[Sequence[Any]]]) -> bytes:
    """A workbook with one sheet per entry (title: rows, the header first)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([cell_neutralise(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
