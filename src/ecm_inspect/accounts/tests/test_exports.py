"""The one export helper: no payload survives as a formula, numbers stay numbers, and nothing
else in the product writes CSV or XLSX by itself."""

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ecm_inspect.accounts.exports import csv_text, dict_rows, xlsx_bytes

from .formulas import PAYLOADS, csv_text_cells, csv_unsafe_cells, xlsx_unsafe_cells

SRC = Path(__file__).resolve().parents[2]


def test_every_payload_is_text_in_csv() -> None:
    text = csv_text([["name", "note"], *[[p, f"ok {p}"] for p in PAYLOADS]])
    assert csv_unsafe_cells(text) == []
    cells = csv_text_cells(text)
    assert "'=1+1" in cells
    assert "'\t=1" in cells
    assert "'=cmd|' /C calc'!A0" in cells
    assert "ok =1+1" in cells  # only the start of a cell matters


def test_every_payload_is_text_in_xlsx() -> None:
    data = xlsx_bytes({"Sheet": [["name"], *[[p] for p in PAYLOADS]]})
    assert xlsx_unsafe_cells(data) == []
    values = [r[0] for r in openpyxl.load_workbook(io.BytesIO(data))["Sheet"].values]
    assert '\'=HYPERLINK("http://x")' in values
    assert "=1+1" not in values


def test_numbers_stay_numbers_and_text_that_looks_like_one_does_not() -> None:
    rows: list[list[Any]] = [
        ["figure", "as typed", "when"],
        [-0.5, "-0.5", date(2026, 4, 1)],
        [-3, "-3", None],
    ]
    text = csv_text(rows)
    assert text.splitlines()[1] == '-0.5,"\'-0.5","2026-04-01"'
    assert text.splitlines()[2] == '-3,"\'-3",""'
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"S": rows})))["S"]
    assert sheet["A2"].value == -0.5
    assert sheet["A2"].data_type == "n"
    assert sheet["B2"].value == "'-0.5"
    assert sheet["A3"].value == -3
    assert sheet["C2"].value.date() == date(2026, 4, 1)
    # Not a finite number: written as text, and "-inf" is then neutralised.
    assert csv_unsafe_cells(csv_text([[float("-inf"), Decimal("NaN")]])) == []


def test_a_separator_inside_text_cannot_start_a_cell() -> None:
    text = csv_text([["a;=1+1", "b,=1+1"]])
    assert text == '"a;=1+1","b,=1+1"\r\n'


def test_dict_rows_keeps_the_field_order() -> None:
    text = csv_text(dict_rows(["b", "a"], [{"a": "=1", "b": 2}]))
    assert text == '"b","a"\r\n2,"\'=1"\r\n'


WRITERS = [r"csv\.writer\(", r"csv\.DictWriter\(", r"openpyxl\.Workbook\("]


@pytest.mark.parametrize("pattern", WRITERS)
def test_nothing_else_writes_csv_or_xlsx(pattern: str) -> None:
    """Every CSV and XLSX leaves through `accounts/exports.py`. The offline scripts that build
    the product's own reference files from public data (`*/data/*.py`) are not exports."""
    allowed = {SRC / "accounts" / "exports.py"}
    found = [
        p.relative_to(SRC)
        for p in SRC.rglob("*.py")
        if p not in allowed
        and "tests" not in p.parts
        and p.parent.name != "data"
        and re.search(pattern, p.read_text(encoding="utf-8"))
    ]
    assert found == []
