"""Every bad file is refused with file, row and field named, and leaves the database as it was.

Each case starts from a registry holding the shipped areas and North East providers, breaks a
copy of a shipped file in one way, and checks the report and that every registry row and
history row is unchanged.
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from ecm_inspect.core.imports.common import CHUNK_ROWS
from ecm_inspect.core.imports.reading import MAX_LINE_BYTES
from ecm_inspect.registry.imports import ImportFileError, areas_import, providers_import

from .helpers import AREAS_FILE, CSC_FILE, read_rows, set_cell, snapshot, write_csv

pytestmark = pytest.mark.usefixtures("csc_providers")

CSC_HEADER, CSC_ROWS = read_rows(CSC_FILE)
AREA_HEADER, AREA_ROWS = read_rows(AREAS_FILE)


@dataclass(frozen=True)
class Case:
    target: str  # areas or providers
    make: Callable[[Path], Path]
    row: int | None  # the row the report names (1 is the header)
    field: str | None
    message: str


def _providers(path: Path, rows: list[list[str]], header: list[str] = CSC_HEADER) -> Path:
    return write_csv(path / "providers.csv", header, rows)


def _areas(path: Path, rows: list[list[str]], header: list[str] = AREA_HEADER) -> Path:
    return write_csv(path / "areas.csv", header, rows)


def _edit(rows: list[list[str]], header: list[str], index: int, column: str, value: str):
    return rows[:index] + [set_cell(header, rows[index], column, value)] + rows[index + 1 :]


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        (path / name).write_bytes(data)
        return path / name

    return make


GOOD_CSC = CSC_FILE.read_bytes()
# A row numbered 10 in the file is index 8 of CSC_ROWS (row 1 is the header).
CASES = {
    "providers: missing column": Case(
        "providers",
        lambda p: _providers(
            p,
            [r[:9] + r[10:] for r in CSC_ROWS],
            CSC_HEADER[:9] + CSC_HEADER[10:],
        ),
        1,
        "local_authority",
        "missing column",
    ),
    "providers: bad code": Case(
        "providers",
        lambda p: _providers(p, _edit(CSC_ROWS, CSC_HEADER, 8, "urn", "SC12")),
        10,
        "urn",
        "'SC12' is not a URN of this format",
    ),
    "providers: unknown area": Case(
        "providers",
        lambda p: _providers(p, _edit(CSC_ROWS, CSC_HEADER, 8, "local_authority", "Atlantis")),
        10,
        "local_authority",
        "unknown area 'Atlantis'",
    ),
    "providers: duplicate id": Case(
        "providers",
        lambda p: _providers(p, CSC_ROWS + [CSC_ROWS[0]]),
        len(CSC_ROWS) + 2,
        "urn",
        f"URN {CSC_ROWS[0][1]} appears twice in the file",
    ),
    "providers: unknown type": Case(
        "providers",
        lambda p: _providers(p, _edit(CSC_ROWS, CSC_HEADER, 8, "provision_type", "Zoo")),
        10,
        "provision_type",
        "unknown type 'Zoo'",
    ),
    "providers: bad date": Case(
        "providers",
        lambda p: _providers(p, _edit(CSC_ROWS, CSC_HEADER, 8, "registration_date", "31/02/2020")),
        10,
        "registration_date",
        "'31/02/2020' is not a date like '31/03/2025'",
    ),
    "providers: wrong encoding": Case(
        "providers",
        _bytes("providers.csv", GOOD_CSC.replace(b"Children's home", b"Children\x92s home", 1)),
        2,
        None,
        "is not UTF-8 (byte 0x92",
    ),
    "providers: empty file": Case(
        "providers", _bytes("providers.csv", b""), None, None, "the file is empty"
    ),
    "providers: header only": Case(
        "providers",
        lambda p: _providers(p, []),
        None,
        None,
        "the file has a header but no rows",
    ),
    "providers: a 10 MB line": Case(
        "providers",
        _bytes(
            "providers.csv",
            GOOD_CSC + b"2025-03-31,SC999999," + b"x" * 10_000_000 + b"\n",
        ),
        len(CSC_ROWS) + 2,
        None,
        f"longer than {MAX_LINE_BYTES:,} bytes",
    ),
    "providers: a 10 MB quoted field over many lines": Case(
        "providers",
        _bytes(
            "providers.csv",
            GOOD_CSC + b'2025-03-31,SC999999,"' + b"x\n" * 5_000_000 + b'"\n',
        ),
        len(CSC_ROWS) + 2,
        None,
        "not valid CSV: field larger than field limit",
    ),
    "providers: a short row": Case(
        "providers",
        lambda p: _providers(p, CSC_ROWS[:8] + [CSC_ROWS[8][:5]] + CSC_ROWS[9:]),
        10,
        None,
        "5 fields where the header has 39",
    ),
    "providers: not a spreadsheet": Case(
        "providers",
        _bytes("providers.xlsx", b"PK\x03\x04 not really a zip"),
        None,
        None,
        "not a readable XLSX workbook",
    ),
    "areas: missing column": Case(
        "areas",
        lambda p: _areas(p, [r[1:] for r in AREA_ROWS], AREA_HEADER[1:]),
        1,
        "gss_code",
        "missing column",
    ),
    "areas: bad code": Case(
        "areas",
        lambda p: _areas(p, _edit(AREA_ROWS, AREA_HEADER, 8, "gss_code", "E07000001")),
        10,
        "gss_code",
        "bad code 'E07000001'",
    ),
    "areas: bad LA code": Case(
        "areas",
        lambda p: _areas(p, _edit(AREA_ROWS, AREA_HEADER, 8, "la_code", "80")),
        10,
        "la_code",
        "bad code '80'",
    ),
    "areas: unknown neighbour": Case(
        "areas",
        lambda p: _areas(
            p,
            _edit(
                AREA_ROWS,
                AREA_HEADER,
                8,
                "stat_neighbour_gss_codes",
                "E06000001, E06000099",
            ),
        ),
        10,
        "stat_neighbour_gss_codes",
        "unknown area 'E06000099'",
    ),
    "areas: duplicate id": Case(
        "areas",
        lambda p: _areas(p, AREA_ROWS + [AREA_ROWS[0]]),
        len(AREA_ROWS) + 2,
        "gss_code",
        "E06000001 appears twice (also row 2)",
    ),
    "areas: unknown type": Case(
        "areas",
        lambda p: _areas(p, _edit(AREA_ROWS, AREA_HEADER, 8, "la_type", "parish")),
        10,
        "la_type",
        "unknown type 'parish'",
    ),
    "areas: empty file": Case("areas", _bytes("areas.csv", b""), None, None, "the file is empty"),
    "areas: population 10^40": Case(
        "areas",
        lambda p: _areas(p, _edit(AREA_ROWS, AREA_HEADER, 8, "population_0_25", "1" + "0" * 40)),
        10,
        "population_0_25",
        "is more than 20,000,000",
    ),
    "areas: population past the database's integer": Case(
        "areas",
        lambda p: _areas(p, _edit(AREA_ROWS, AREA_HEADER, 8, "population_0_25", "2147483648")),
        10,
        "population_0_25",
        "is more than 20,000,000",
    ),
    "areas: population in other digits": Case(
        "areas",
        lambda p: _areas(p, _edit(AREA_ROWS, AREA_HEADER, 8, "population_0_25", "²")),
        10,
        "population_0_25",
        "'²' is not a whole number",
    ),
    "areas: negative population": Case(
        "areas",
        lambda p: _areas(p, _edit(AREA_ROWS, AREA_HEADER, 8, "population_0_25", "-5")),
        10,
        "population_0_25",
        "'-5' is not a whole number",
    ),
    "providers: registered in 2099": Case(
        "providers",
        lambda p: _providers(p, _edit(CSC_ROWS, CSC_HEADER, 8, "registration_date", "01/04/2099")),
        10,
        "registration_date",
        "'01/04/2099' is in the future",
    ),
    "providers: registered in year 1": Case(
        "providers",
        lambda p: _providers(p, _edit(CSC_ROWS, CSC_HEADER, 8, "registration_date", "0001-01-01")),
        10,
        "registration_date",
        "is before 1900",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_file_is_refused_and_changes_nothing(case: Case, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    before = snapshot()
    importer = areas_import if case.target == "areas" else providers_import
    with pytest.raises(ImportFileError) as caught:
        importer(path=path)
    assert snapshot() == before
    problems = caught.value.problems
    assert any(
        p.row == case.row and p.field == case.field and case.message in p.message for p in problems
    ), caught.value.report()
    assert caught.value.report().startswith(f"{path.name}: ")


def test_problem_after_many_written_rows_rolls_everything_back(tmp_path: Path) -> None:
    """Rows are written in chunks as the file is read; a problem in the last row undoes them."""
    template = CSC_ROWS[0]
    rows = [set_cell(CSC_HEADER, template, "urn", f"SC{900000 + n}") for n in range(CHUNK_ROWS + 5)]
    rows.append(set_cell(CSC_HEADER, template, "local_authority", "Atlantis"))
    path = _providers(tmp_path, rows)
    before = snapshot()
    with pytest.raises(ImportFileError) as caught:
        providers_import(path=path)
    assert snapshot() == before
    assert caught.value.problems[0].row == len(rows) + 1


def test_report_lists_twenty_problems_and_counts_the_rest(tmp_path: Path) -> None:
    rows = [set_cell(CSC_HEADER, r, "local_authority", "Atlantis") for r in CSC_ROWS[:30]]
    with pytest.raises(ImportFileError) as caught:
        providers_import(path=_providers(tmp_path, rows))
    report = caught.value.report()
    assert report.startswith("providers.csv: 30 problems:")
    assert report.count("unknown area 'Atlantis'") == 20
    assert report.endswith("and 10 more")


def test_command_exits_non_zero_with_the_report(tmp_path: Path) -> None:
    path = CASES["providers: unknown area"].make(tmp_path)
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        call_command("import", "providers", str(path), stdout=StringIO(), stderr=StringIO())
    assert snapshot() == before
    message = str(caught.value)
    assert message.startswith("Nothing was imported. providers.csv: 1 problem:")
    assert "row 10, field 'local_authority': unknown area 'Atlantis'" in message


@pytest.mark.parametrize("name", ["areas: population 10^40", "providers: registered in 2099"])
def test_the_command_reports_a_bad_value_by_row_and_field(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import", case.target, str(case.make(tmp_path)), "--no-progress",
            stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip
    assert snapshot() == before
    assert f"row {case.row}, field '{case.field}': " in str(caught.value)
    assert case.message in str(caught.value)


def test_command_exit_status_is_one(tmp_path: Path) -> None:
    """Run as `ecm import`, a bad file ends the process with status 1 and the report on
    stderr."""
    path = CASES["providers: empty file"].make(tmp_path)
    utility = ManagementUtility(["ecm", "import", "providers", str(path)])
    err = StringIO()
    with pytest.raises(SystemExit) as caught, contextlib.redirect_stderr(err):
        utility.execute()
    assert caught.value.code == 1
    assert "providers.csv: 1 problem:" in err.getvalue()
    assert "the file is empty" in err.getvalue()


def test_a_urn_too_long_to_store_is_reported(tmp_path: Path) -> None:
    """A mapping without a URN pattern still cannot bring a URN longer than the column."""
    from ecm_inspect.registry.imports.mapping import MAPPINGS_DIR

    text = (MAPPINGS_DIR / "ofsted-csc-providers.yaml").read_text(encoding="utf-8")
    mapping = tmp_path / "no-pattern.yaml"
    mapping.write_text(text.replace("urn_pattern:", "# urn_pattern:"), encoding="utf-8")
    path = _providers(tmp_path, _edit(CSC_ROWS, CSC_HEADER, 8, "urn", "SC" + "1" * 30))
    before = snapshot()
    with pytest.raises(ImportFileError) as caught:
        providers_import(path=path, mapping=mapping)
    assert snapshot() == before
    assert [(p.row, p.field, p.message) for p in caught.value.problems] == [
        (10, "urn", "longer than 20 characters")
    ]
