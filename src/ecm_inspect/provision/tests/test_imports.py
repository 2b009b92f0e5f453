"""`ecm import inspections`: published outcomes mapped to key judgements, all or nothing,
idempotent, with row and column errors."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.services import framework_load
from ecm_inspect.provision.imports import inspections_import
from ecm_inspect.provision.imports.converters import (
    area_send_outcome,
    ofsted_label,
    ofsted_number,
    report_card,
)
from ecm_inspect.provision.models import InspectedProvider, Judgement, SettingInspection
from ecm_inspect.provision.selectors import area_pool
from ecm_inspect.registry.imports import ImportFileError, areas_import, providers_import
from ecm_inspect.registry.models import Area, Provider
from ecm_inspect.registry.services import AREAS_FILE, DATA_DIR, inspectorates_load

CSC_FILE = DATA_DIR / "providers" / "ofsted_csc_providers_north_east_2025.csv"
SCHOOLS_FILE = DATA_DIR / "providers" / "gias_schools_north_east_2024.csv"
SEND_FILE = Path(__file__).resolve().parent / "data" / "area_send_sample.csv"


@pytest.fixture
def registry(db: None) -> None:
    framework_load()
    inspectorates_load()
    areas_import(path=AREAS_FILE)
    providers_import(path=CSC_FILE)
    providers_import(path=SCHOOLS_FILE)


def rows_of(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        return next(reader), list(reader)


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def counts() -> tuple[int, int, int, int]:
    return (
        SettingInspection.objects.count(),
        Judgement.objects.count(),
        InspectedProvider.objects.count(),
        Provider.objects.count(),
    )


def test_the_shipped_outcomes_import_and_a_second_run_changes_nothing(registry: None) -> None:
    first = inspections_import(path=CSC_FILE)
    assert first.mapping == "ofsted-csc-providers-outcomes"
    assert first.created > 200
    assert first.skipped["provider not in the registry (import providers first)"] > 0
    before = counts()
    history = SettingInspection.history.count()  # type: ignore[attr-defined]
    again = inspections_import(path=CSC_FILE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert counts() == before
    assert SettingInspection.history.count() == history  # type: ignore[attr-defined]


def test_a_published_ofsted_grade_is_converted_and_only_relevant_judgements_are_kept(
    registry: None,
) -> None:
    inspections_import(path=CSC_FILE)
    # Row 2 of the shipped file: children's home 2613661, Good overall and for safeguarding.
    inspection = SettingInspection.objects.get(source_reference="10329119")
    assert inspection.published_by == "Ofsted"
    assert inspection.lead_inspectorate.code == "CSCI"
    judgements = {j.key_judgement.code: j for j in inspection.judgements.all()}
    assert judgements["SS.7"].grade is Grade.GOOD
    assert judgements["SS.7"].source_grade == "Good"
    # BH.1 (support for parents) is mapped from the overall grade but not relevant to a
    # children's home for CSCI; SS.6 likewise.
    assert "BH.1" not in judgements
    assert "SS.6" not in judgements
    assert inspection.inspected.get().children == 2


def test_a_changed_grade_updates_the_judgement_and_keeps_its_history(
    registry: None, tmp_path: Path
) -> None:
    inspections_import(path=CSC_FILE)
    header, rows = rows_of(CSC_FILE)
    col = header.index("safeguarding_grade")
    rows[0][col] = "Inadequate"
    result = inspections_import(path=write(tmp_path / "changed.csv", header, rows))
    assert result.updated == 1
    judgement = Judgement.objects.get(
        inspection__source_reference="10329119", key_judgement__code="SS.7"
    )
    assert judgement.grade is Grade.INADEQUATE
    assert judgement.version == 2
    assert judgement.history.count() == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("overall_grade", "Brilliant", "'Brilliant' is not an Ofsted grade label (ofsted_label)"),
        ("latest_inspection_date", "2024-13-45", "is not a date like '31/03/2025'"),
        ("latest_event_type", "Inspection of sorts", "unknown event type 'Inspection of sorts'"),
        ("places", "many", "'many' is not a number"),
        ("places", "inf", "'inf' is not a number of children"),
        ("places", "nan", "'nan' is not a number of children"),
        ("places", "1e40", "'1e40' is not a number of children"),
        ("places", "-5", "'-5' is not a number of children"),
        ("latest_inspection_date", "01/04/2099", "'01/04/2099' is in the future"),
        ("latest_publication_date", "01/04/2099", "is in the future"),
    ],
)
def test_a_bad_row_anywhere_writes_nothing_and_names_its_row_and_column(
    registry: None, tmp_path: Path, column: str, value: str, message: str
) -> None:
    header, rows = rows_of(CSC_FILE)
    rows[200][header.index(column)] = value  # after many good rows
    before = counts()
    with pytest.raises(ImportFileError) as caught:
        inspections_import(path=write(tmp_path / "bad.csv", header, rows))
    problem = caught.value.problems[0]
    assert (problem.row, problem.field) == (202, column)
    assert message in problem.message
    assert counts() == before == (0, 0, 0, Provider.objects.count())


def test_a_file_of_no_known_format_or_empty_writes_nothing(registry: None, tmp_path: Path) -> None:
    header, rows = rows_of(CSC_FILE)
    header[header.index("urn")] = "reference"
    with pytest.raises(ImportFileError) as caught:
        inspections_import(path=write(tmp_path / "renamed.csv", header, rows))
    assert "matches no known inspection outcome format" in caught.value.report()
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportFileError):
        inspections_import(path=empty)
    assert counts()[:3] == (0, 0, 0)


def test_area_send_creates_the_partnership_and_records_ldd_judgements(registry: None) -> None:
    result = inspections_import(path=SEND_FILE)
    assert result.created == 2
    gateshead = Area.objects.get(la_code="390")
    partnership = Provider.objects.get(urn="80501")
    assert partnership.area == gateshead
    assert partnership.kind.code == "council_childrens_services"
    inspection = partnership.setting_inspections.get()
    assert [b.code for b in inspection.other_inspectorates.all()] == ["HEALTHCARE_COMMISSION"]
    codes = sorted(j.key_judgement.code for j in inspection.judgements.all())
    assert codes == ["BH.6", "EA.8", "EW.7", "PC.7", "SS.8"]
    assert {j.grade for j in inspection.judgements.all()} == {Grade.INADEQUATE}
    # The row without inspection dates takes its publication date, marked as an estimate.
    estimated = SettingInspection.objects.get(date_is_estimate=True)
    assert str(estimated.ends_on) == "2024-11-14"
    pool = area_pool(area=gateshead)
    ldd = next(g for g in pool.groups if g.code == "ldd")
    assert ldd.providers_judged == 1
    assert inspections_import(path=SEND_FILE).unchanged == 2


def test_the_command_imports_and_reports(registry: None) -> None:
    out = io.StringIO()
    call_command("import", "inspections", str(SCHOOLS_FILE), "--no-progress", stdout=out)
    assert "mapping gias-schools-rating-outcomes" in out.getvalue()
    assert SettingInspection.objects.filter(date_is_estimate=True).exists()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", "inspections", str(AREAS_FILE), "--no-progress", stdout=out)


@pytest.mark.parametrize(
    ("column", "value"), [("places", "1e40"), ("latest_inspection_date", "01/04/2099")]
)
def test_the_command_names_a_bad_value_by_row_and_field(
    registry: None, tmp_path: Path, column: str, value: str
) -> None:
    header, rows = rows_of(CSC_FILE)
    rows[3][header.index(column)] = value
    path = write(tmp_path / "bad.csv", header, rows)
    with pytest.raises(CommandError) as caught:
        call_command("import", "inspections", str(path), "--no-progress", stdout=io.StringIO())
    assert str(caught.value).startswith("Nothing was imported.")
    assert f"row 5, field '{column}': '{value}'" in str(caught.value)
    assert counts()[:3] == (0, 0, 0)


def test_converters_turn_each_source_scale_into_the_framework_scale() -> None:
    assert ofsted_label("Outstanding") is Grade.OUTSTANDING
    assert ofsted_label("Requires improvement to be good") is Grade.ADEQUATE
    assert ofsted_label("Satisfactory") is Grade.ADEQUATE
    assert ofsted_label("Not judged") is None
    assert ofsted_number("1") is Grade.OUTSTANDING  # Ofsted 1 is best; the Framework's 4 is
    assert ofsted_number("4") is Grade.INADEQUATE
    assert area_send_outcome("1") is Grade.GOOD
    assert area_send_outcome("3") is Grade.INADEQUATE
    assert report_card("Exceptional") is Grade.OUTSTANDING
    assert report_card("Expected standard") is Grade.GOOD
    assert report_card("Urgent improvement") is Grade.INADEQUATE
    assert report_card("Not met") is Grade.INADEQUATE
    assert report_card("Met") is None
    for convert, bad in [(ofsted_label, "Superb"), (ofsted_number, "5"), (report_card, "Fine")]:
        with pytest.raises(ValueError, match="is not"):
            convert(bad)
