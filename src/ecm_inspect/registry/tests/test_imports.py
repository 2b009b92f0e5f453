"""Imports: re-import is a no-op, a change is an audited update, a dry run writes nothing,
XLSX reads like CSV, mappings are chosen and checked."""

import datetime
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from ecm_inspect.registry.imports import (
    ImportFileError,
    ImportResult,
    areas_import,
    mappings_shipped,
    providers_import,
)
from ecm_inspect.registry.imports.mapping import MAPPINGS_DIR
from ecm_inspect.registry.models import Area, AreaType, Provider, StatisticalNeighbour

from .helpers import (
    AREAS_FILE,
    CSC_FILE,
    SCHOOLS_FILE,
    history,
    read_rows,
    set_cell,
    snapshot,
    write_csv,
)

pytestmark = pytest.mark.django_db

CSC_HEADER, CSC_ROWS = read_rows(CSC_FILE)
AREA_HEADER, AREA_ROWS = read_rows(AREAS_FILE)


def test_shipped_areas_are_every_english_childrens_services_authority(
    areas: ImportResult,
) -> None:
    assert areas.created == 153
    assert Area.objects.count() == 153
    assert Area.objects.filter(region_name="London").count() == 33
    assert Area.objects.filter(region_name="North East").count() == 12
    hartlepool = Area.objects.get(gss_code="E06000001")
    assert (hartlepool.name, hartlepool.la_code, hartlepool.area_type) == (
        "Hartlepool",
        "805",
        AreaType.UNITARY,
    )
    assert Area.objects.get(la_code="201").area_type == AreaType.SUI_GENERIS
    # Barnsley: the new ONS code, and the one DfE statistics still use.
    barnsley = Area.objects.get(name="Barnsley")
    assert (barnsley.gss_code, barnsley.gss_code_dfe) == ("E08000038", "E08000016")
    neighbours = [
        link.neighbour.gss_code for link in hartlepool.neighbour_links.select_related("neighbour")
    ]
    assert neighbours[:2] == ["E06000003", "E08000024"]
    assert len(neighbours) == 10
    assert StatisticalNeighbour.objects.count() == 1530
    assert history(Area).count() == 153


def test_reimport_changes_nothing(csc_providers: ImportResult) -> None:
    before = snapshot()
    again = areas_import(path=AREAS_FILE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 153)
    again = providers_import(path=CSC_FILE)
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == csc_providers.created
    assert snapshot() == before  # no version bumped, no history row added


def test_changed_row_updates_the_provider_and_is_audited(
    csc_providers: ImportResult, tmp_path: Path
) -> None:
    row = CSC_ROWS[0]
    urn = row[CSC_HEADER.index("urn")]
    provider = Provider.objects.get(urn=urn)
    before_area, before_date = provider.area.name, provider.registered_on
    edited = set_cell(CSC_HEADER, row, "registration_date", "01/04/2019")
    edited = set_cell(CSC_HEADER, edited, "local_authority", "Gateshead")
    path = write_csv(tmp_path / "changed.csv", CSC_HEADER, [edited, *CSC_ROWS[1:]])
    history_before = history(Provider).count()

    result = providers_import(path=path)

    assert (result.created, result.updated) == (0, 1)
    assert result.changes[0].key == urn
    assert set(result.changes[0].fields) == {"area_id", "registered_on"}
    provider.refresh_from_db()
    assert provider.area.name == "Gateshead"
    assert provider.registered_on == datetime.date(2019, 4, 1)
    assert provider.version == 2
    assert history(Provider).count() == history_before + 1
    latest, previous = history(Provider, provider.pk)[:2]
    assert latest.history_type == "~"
    assert latest.history_change_reason == "import providers changed.csv"
    delta = latest.diff_against(previous)
    changes = {c.field: (c.old, c.new) for c in delta.changes}
    assert changes["registered_on"] == (before_date, datetime.date(2019, 4, 1))
    assert changes["area"][1] == Area.objects.get(name="Gateshead").pk
    assert before_area != "Gateshead"


def test_changed_area_and_neighbours_are_audited(areas: ImportResult, tmp_path: Path) -> None:
    index = next(i for i, r in enumerate(AREA_ROWS) if r[0] == "E06000001")
    row = set_cell(AREA_HEADER, AREA_ROWS[index], "la_name", "Hartlepool Borough")
    row = set_cell(AREA_HEADER, row, "stat_neighbour_gss_codes", "E06000002, E06000003")
    rows = AREA_ROWS[:index] + [row] + AREA_ROWS[index + 1 :]
    result = areas_import(path=write_csv(tmp_path / "areas.csv", AREA_HEADER, rows))
    assert (result.updated, result.unchanged) == (1, 152)
    change = result.changes[0]
    assert change.fields["name"] == ("Hartlepool", "Hartlepool Borough")
    assert change.fields["statistical_neighbours"][1] == "E06000002, E06000003"
    area = Area.objects.get(gss_code="E06000001")
    assert area.version == 2
    assert list(area.neighbour_links.values_list("neighbour__gss_code", "rank")) == [
        ("E06000002", 1),
        ("E06000003", 2),
    ]
    assert [h.name for h in history(Area, area.pk)] == ["Hartlepool Borough", "Hartlepool"]


def test_recoded_area_is_updated_not_duplicated(kinds: None, tmp_path: Path) -> None:
    """ONS recoded Barnsley and Sheffield in 2024; their DfE LA codes stayed."""
    old = [
        set_cell(AREA_HEADER, r, "gss_code", r[1]) if r[3] in ("Barnsley", "Sheffield") else r
        for r in AREA_ROWS
    ]
    areas_import(path=write_csv(tmp_path / "old.csv", AREA_HEADER, old))
    assert Area.objects.get(name="Barnsley").gss_code == "E08000016"
    result = areas_import(path=AREAS_FILE)
    assert (result.created, result.updated) == (0, 2)
    assert Area.objects.count() == 153
    assert Area.objects.get(name="Barnsley").gss_code == "E08000038"


def test_dry_run_reports_and_writes_nothing(areas: ImportResult, tmp_path: Path) -> None:
    providers_import(path=CSC_FILE)
    edited = set_cell(CSC_HEADER, CSC_ROWS[0], "registration_date", "01/04/2019")
    new = set_cell(CSC_HEADER, CSC_ROWS[1], "urn", "SC999001")
    path = write_csv(tmp_path / "p.csv", CSC_HEADER, [edited, new, *CSC_ROWS[1:]])
    before = snapshot()
    out = StringIO()
    call_command("import", "providers", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert snapshot() == before
    text = out.getvalue()
    assert "created           1" in text
    assert "updated           1" in text
    assert "create SC999001" in text
    assert "registered_on: datetime.date(" in text
    assert "Dry run: nothing was written." in text


def test_command_reports_counts_and_progress(areas: ImportResult) -> None:
    out, err = StringIO(), StringIO()
    call_command("import", "providers", str(CSC_FILE), stdout=out, stderr=err)
    text = out.getvalue()
    assert "(mapping ofsted-csc-providers): 279 rows read" in text
    assert "created         251" in text
    assert "skipped          28  Supported Accommodation:" in text
    assert "Changes (10 of 251):" in text
    assert text.rstrip().endswith("Imported.")
    # Not a terminal: plain progress lines, not a redrawn bar.
    assert err.getvalue().splitlines()[-1] == f"Reading {CSC_FILE.name}: 100% read"
    out = StringIO()
    call_command("import", "providers", str(CSC_FILE), stdout=out, stderr=StringIO())
    assert "Already up to date: nothing changed." in out.getvalue()


def _xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Providers")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_imports_like_csv(areas: ImportResult, tmp_path: Path) -> None:
    """Dates come as real date cells from a spreadsheet; numbers as numbers."""
    date_col = CSC_HEADER.index("registration_date")
    rows: list[list[object]] = []
    for row in CSC_ROWS:
        cells: list[object] = [c if c else None for c in row]
        if row[date_col]:
            d, m, y = (int(x) for x in row[date_col].split("/"))
            cells[date_col] = datetime.datetime(y, m, d)  # noqa: DTZ001 (a spreadsheet cell)
        if row[1].isdigit():
            cells[1] = int(row[1])
        rows.append(cells)
    result = providers_import(path=_xlsx(tmp_path / "providers.xlsx", CSC_HEADER, rows))
    assert result.created == 251
    from_xlsx = snapshot()["providers"]
    again = providers_import(path=CSC_FILE)  # the same data as CSV: nothing to change
    assert (again.created, again.updated) == (0, 0)
    assert snapshot()["providers"] == from_xlsx


def test_xlsx_bad_row_names_row_and_field(areas: ImportResult, tmp_path: Path) -> None:
    rows: list[list[object]] = [list(r) for r in CSC_ROWS[:5]]
    rows[3][CSC_HEADER.index("local_authority")] = "Atlantis"
    before = snapshot()
    with pytest.raises(ImportFileError) as caught:
        providers_import(path=_xlsx(tmp_path / "p.xlsx", CSC_HEADER, rows))
    assert snapshot() == before
    assert caught.value.problems[0].row == 5
    assert caught.value.problems[0].field == "local_authority"


def test_every_shipped_mapping_loads_and_names_known_kinds(kinds: None) -> None:
    from ecm_inspect.framework.models import ProviderKind

    known = set(ProviderKind.objects.values_list("code", flat=True))
    names = {m.name for m in mappings_shipped("providers")} | {
        m.name for m in mappings_shipped("areas")
    }
    assert names == {
        "areas-england",
        "gias-establishments",
        "gias-schools-rating",
        "ofsted-csc-providers",
    }
    for mapping in mappings_shipped("providers"):
        kinds_named = {r.kind for r in [*mapping.types.values(), *mapping.by_phase.values()]}
        assert kinds_named - {""} <= known, mapping.name


def test_mapping_by_name_or_file(areas: ImportResult, tmp_path: Path) -> None:
    result = providers_import(path=SCHOOLS_FILE, mapping="gias-schools-rating")
    assert result.mapping == "gias-schools-rating"
    assert result.created == 121
    assert result.skipped["1: community school: phase of education not in this file"] == 316
    # A copy of a mapping with one type remapped: the import follows the file it is given.
    text = (MAPPINGS_DIR / "gias-schools-rating.yaml").read_text(encoding="utf-8")
    text = text.replace("name: gias-schools-rating", "name: my-schools")
    text = text.replace(
        '"7": {kind: special_school, label: Community special school}',
        '"7": {skip: "not wanted here"}',
    )
    custom = tmp_path / "mine.yaml"
    custom.write_text(text, encoding="utf-8")
    again = providers_import(path=SCHOOLS_FILE, mapping=custom, dry_run=True)
    assert again.mapping == "my-schools"
    assert again.skipped["7: not wanted here"] > 0


def test_mapping_for_the_wrong_target_or_columns_is_refused(areas: ImportResult) -> None:
    with pytest.raises(ImportFileError, match="this mapping is for areas"):
        providers_import(path=CSC_FILE, mapping="areas-england")
    with pytest.raises(ImportFileError) as caught:
        providers_import(path=CSC_FILE, mapping="gias-schools-rating")
    assert caught.value.problems[0].field == "unique_reference_number"
    assert "missing column" in caught.value.problems[0].message


def test_bad_mapping_file_is_reported(areas: ImportResult, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("applies_to: providers\ncolumns: {urn: URN, colour: Colour}\n")
    with pytest.raises(ImportFileError) as caught:
        providers_import(path=CSC_FILE, mapping=bad)
    fields = {p.field for p in caught.value.problems}
    assert {"columns.colour", "columns.type"} <= fields


def test_latest_snapshot_only(areas: ImportResult, tmp_path: Path) -> None:
    """A national file holds every year's snapshot; only the latest is imported."""
    older = [set_cell(CSC_HEADER, r, "snapshot", "2024-03-31") for r in CSC_ROWS[:5]]
    path = write_csv(tmp_path / "p.csv", CSC_HEADER, older + CSC_ROWS)
    result = providers_import(path=path)
    assert result.created == 251
    assert result.rows == len(CSC_ROWS) + 5
