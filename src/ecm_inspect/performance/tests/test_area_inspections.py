"""`ecm import area-inspections`: Ofsted's ILACS file and the historical APA and rating results,
each converted to the Framework's scale (4 = outstanding), all or nothing, every problem named
by row and field, and nothing changed by a second run."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ecm_inspect.performance.area_inspections import (
    HISTORICAL_FILE,
    ILACS_FILE,
    SKIPPED_NO_YEAR,
    area_inspections_import,
    ofsted_grade,
    published_date,
)
from ecm_inspect.performance.models import AreaInspection, AreaInspectionKind, AreaJudgement
from ecm_inspect.registry.imports import ImportFileError
from ecm_inspect.registry.models import Area, AreaType
from ecm_inspect.registry.services import areas_load

pytestmark = pytest.mark.django_db

ILACS_HEADER = (
    "gss_code,la_code,local_authority,inspection_framework,inspection_start_date,"
    "inspection_end_date,publication_date,overall_effectiveness,impact_of_leaders,"
    "help_and_protection,in_care,care_leavers\n"
)


@pytest.fixture
def areas() -> None:
    """Every children's services authority (the shipped files name 99 and more)."""
    areas_load()


@pytest.fixture
def two_areas() -> None:
    for gss, la, name in (("E08000005", "354", "Rochdale"), ("E09000017", "312", "Hillingdon")):
        Area.objects.create(
            gss_code=gss, la_code=la, name=name, region_code="E12000002",
            region_name="North West", area_type=AreaType.METROPOLITAN,
        )  # fmt: skip


def _grades(inspection: AreaInspection) -> dict[str, int | None]:
    return {j.judgement: j.grade for j in inspection.judgements.all()}


def test_ofsteds_words_are_turned_the_right_way_up() -> None:
    assert ofsted_grade("Outstanding") == (4, "Outstanding")
    assert ofsted_grade("good")[0] == 3
    assert ofsted_grade("Requires improvement to be good")[0] == 2
    assert ofsted_grade("requires improvement")[0] == 2
    assert ofsted_grade("Inadequate")[0] == 1
    assert ofsted_grade("inspection_pre_dates_judgement")[0] is None
    with pytest.raises(ValueError, match="not one of Ofsted's grades"):
        ofsted_grade("1")  # Ofsted's number is never read as ours


def test_a_date_the_source_gives_in_part_is_the_last_day_and_says_so() -> None:
    assert published_date("2008-12-17", 2008) == (datetime.date(2008, 12, 17), False)
    assert published_date("2011-11", 2011) == (datetime.date(2011, 11, 30), True)
    assert published_date("before 2006-02-01", 2005) == (datetime.date(2006, 1, 31), True)
    assert published_date("2006 (second APA round)", 2006) == (datetime.date(2006, 12, 31), True)


def test_the_shipped_ilacs_file_imports_on_the_framework_scale(areas: None) -> None:
    result = area_inspections_import(path=ILACS_FILE)
    assert (result.rows, result.created) == (99, 99)
    rochdale = AreaInspection.objects.get(area__name="Rochdale", kind=AreaInspectionKind.ILACS)
    assert rochdale.published_on == datetime.date(2018, 3, 12)
    assert rochdale.starts_on == datetime.date(2018, 1, 29)
    assert rochdale.overall == 2  # "Requires improvement to be good"
    hillingdon = AreaInspection.objects.get(area__name="Hillingdon")
    grades = _grades(hillingdon)
    assert grades[AreaJudgement.OVERALL] == 3
    assert grades[AreaJudgement.LEADERS] == 4
    assert grades[AreaJudgement.CARE_LEAVERS] is None  # judged apart only later
    words = hillingdon.judgements.get(judgement=AreaJudgement.CARE_LEAVERS).as_published
    assert "not judged" in words
    again = area_inspections_import(path=ILACS_FILE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 99)


def test_the_historical_results_import_and_a_row_without_a_year_is_skipped_with_why(
    areas: None,
) -> None:
    result = area_inspections_import(path=HISTORICAL_FILE)
    assert result.skipped[SKIPPED_NO_YEAR] == 7  # Norfolk's profile, "c.2007-2008"
    haringey = {
        i.year: i for i in AreaInspection.objects.filter(area__name="Haringey").order_by("year")
    }
    assert _grades(haringey[2008])[AreaJudgement.OVERALL] == 1
    assert haringey[2008].published_on == datetime.date(2008, 12, 17)
    assert not haringey[2008].published_estimated
    assert _grades(haringey[2007])[AreaJudgement.SS] == 3
    assert area_inspections_import(path=HISTORICAL_FILE).changed is False


def test_one_bad_row_and_nothing_is_written(two_areas: None, tmp_path: Path) -> None:
    path = tmp_path / "ilacs.csv"
    path.write_text(
        ILACS_HEADER
        + "E08000005,354,Rochdale,standard,2018-01-29,2018-02-09,2018-03-12,Good,good,good,"
        "good,good\n"
        + "E09000017,312,Hillingdon,standard,2018-04-16,2018-04-27,2018-04-01,Splendid,good,"
        "good,good,good\n"
        + "E99999999,999,Nowhere,standard,2018-04-16,2018-04-27,2018-05-30,Good,good,good,"
        "good,good\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError) as caught:
        area_inspections_import(path=path)
    report = caught.value.report()
    assert "row 3, field 'publication_date': it is before the inspection ended" in report
    assert "row 3, field 'overall_effectiveness': 'Splendid' is not one of Ofsted's" in report
    assert "row 4, field 'gss_code': no area has the code 'E99999999'" in report
    assert not AreaInspection.objects.exists()


def test_a_file_of_neither_source_says_what_each_needs(two_areas: None, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("area,grade\nE08000005,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="neither Ofsted's ILACS file"):
        area_inspections_import(path=path)


def test_the_command_refuses_a_bad_file_by_row_and_field(two_areas: None, tmp_path: Path) -> None:
    path = tmp_path / "ilacs.csv"
    path.write_text(
        ILACS_HEADER
        + "E08000005,354,Rochdale,standard,2018-02-09,2018-01-29,2018-03-12,Good,good,good,"
        "good,good\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="row 2, field 'inspection_end_date'"):
        call_command("import", "area-inspections", str(path))
    assert not AreaInspection.objects.exists()
