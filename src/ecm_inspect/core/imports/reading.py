"""Reading CSV (UTF-8, with or without a byte-order mark) and XLSX files row by row.

Rows are streamed: memory does not grow with the size of the file. Row numbers are those a
spreadsheet shows: the header is row 1.
"""

import codecs
import csv
import datetime
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import ImportFileError, Problem

# A line longer than this is not a record of any file we import (the widest national file has
# lines of about 2,000 characters); reading stops there instead of holding it in memory.
MAX_LINE_BYTES = 1_000_000

Progress = Callable[[int, int], None]


@dataclass
class Table:
    """A file's header and its data rows, each row with its number."""

    path: Path
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    size: int


def _fail(path: Path, row: int | None, message: str) -> ImportFileError:
    return ImportFileError(path, [Problem(row, None, message)])


def _csv_lines(path: Path, f: IO[bytes], progress: Progress | None) -> Iterator[str]:
    """Decode each physical line on its own, so an encoding error names its own row."""
    size = os.fstat(f.fileno()).st_size
    done = 0
    line_number = 0
    # Each read takes at least a byte of the file: the loop ends with it.
    for raw in iter(lambda: f.readline(MAX_LINE_BYTES + 1), b""):
        line_number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise _fail(
                path,
                line_number,
                f"the line is longer than {MAX_LINE_BYTES:,} bytes: "
                "this is not a file of the expected format",
            )
        if line_number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            # A whole line at a time: in UTF-8 no byte of a multi-byte character is a newline.
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(
                path,
                line_number,
                f"the line is not UTF-8 (byte 0x{raw[exc.start]:02x} at position "
                f"{exc.start + 1}): wrong encoding; save the file as UTF-8 (CSV UTF-8) and "
                "try again",
            ) from None
        done += len(raw)
        if progress is not None and line_number % 5000 == 0:
            progress(done, size)
        yield text
    if progress is not None:
        progress(size, size)


def _read_csv(path: Path, progress: Progress | None) -> Table:
    f = path.open("rb")
    size = os.fstat(f.fileno()).st_size
    if size == 0:
        f.close()
        raise _fail(path, None, "the file is empty")
    # Our own line guard comes first; this keeps one quoted field from growing past it either.
    csv.field_size_limit(MAX_LINE_BYTES)
    reader = csv.reader(_csv_lines(path, f, progress))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        f.close()
        raise _fail(path, 1, f"the header cannot be read as CSV: {exc}") from None
    except ImportFileError:
        f.close()
        raise
    if header is None or not any(h.strip() for h in header):
        f.close()
        raise _fail(path, 1, "the file has no header row")

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for row in reader:  # ends with the file
                number += 1
                if not row or (not row[0].strip() and not any(c.strip() for c in row)):
                    continue
                yield number, row
        except csv.Error as exc:
            raise _fail(path, number + 1, f"not valid CSV: {exc}") from None
        finally:
            f.close()

    return Table(path, [h.strip() for h in header], rows(), size)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path: Path, progress: Progress | None) -> Table:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    size = path.stat().st_size
    if size == 0:
        raise _fail(path, None, "the file is empty")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise _fail(path, None, f"not a readable XLSX workbook: {exc}") from None
    sheet = book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    first = next(cells, None)
    if first is None or not any(_cell(v) for v in first):
        book.close()
        raise _fail(path, 1, "the first sheet has no header row")
    total = sheet.max_row or 0
    header = [_cell(v) for v in first]
    while header and not header[-1]:
        header.pop()
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(cells, start=2):
                row = [_cell(v) for v in values]
                # A sheet leaves out empty cells at the end of a row, or keeps empty ones
                # past the header: neither is a short or long row.
                if len(row) < width:
                    row += [""] * (width - len(row))
                elif len(row) > width and not any(row[width:]):
                    del row[width:]
                if sum(len(c) for c in row) > MAX_LINE_BYTES:
                    raise _fail(
                        path,
                        number,
                        f"the row is longer than {MAX_LINE_BYTES:,} characters: "
                        "this is not a file of the expected format",
                    )
                if progress is not None and number % 5000 == 0:
                    progress(number, max(total, number))
                if any(row):
                    yield number, row
            if progress is not None:
                progress(total, total)
        finally:
            book.close()

    return Table(path, header, rows(), size)


def table_open(*, path: Path, progress: Progress | None = None) -> Table:
    """Open a CSV or XLSX file for reading; raises ImportFileError if it cannot be read."""
    if not path.is_file():
        raise _fail(path, None, "there is no such file")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path, progress)
    if suffix in {".csv", ".txt", ""}:
        return _read_csv(path, progress)
    raise _fail(path, None, f"unsupported file type {suffix!r}: use .csv (UTF-8) or .xlsx")
