"""Schools are never shown by a bare URN; the full register's import fills their names."""

from pathlib import Path

from ecm_inspect.registry.imports import ImportResult, providers_import
from ecm_inspect.registry.models import Provider

from .helpers import SCHOOLS_FILE

# The register's own column layout (edubasealldata*.csv), a few of its ~130 columns.
GIAS_HEADER = (
    "URN,LA (code),LA (name),EstablishmentNumber,EstablishmentName,"
    "TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),"
    "OpenDate,CloseDate,Street,Locality,Address3,Town,Postcode"
)


def test_an_unnamed_school_is_described_and_the_register_fills_its_name(
    areas: ImportResult, tmp_path: Path
) -> None:
    providers_import(path=SCHOOLS_FILE, mapping="gias-schools-rating")
    school = Provider.objects.filter(kind__code="special_school").select_related("area").first()
    assert school is not None
    assert school.name.endswith(school.urn)  # the extract has no names
    shown = str(school)
    assert school.urn not in shown
    assert shown.startswith(("A ", "An "))
    assert shown.endswith(f" in {school.area.name}")
    assert "special" in shown

    register = tmp_path / "edubasealldata20240401.csv"
    register.write_text(
        GIAS_HEADER + "\n"
        f"{school.urn},{school.area.la_code},{school.area.name},7001,Hillside School,"
        "Community special school,Open,Not applicable,01-09-1975,,1 Hill Road,,,Sunderland,"
        "SR1 1AA\n",
        encoding="utf-8",
    )
    providers_import(path=register, mapping="gias-establishments")
    school.refresh_from_db()
    assert school.name == "Hillside School"
    assert str(school) == "Hillside School"


def test_a_school_with_its_phase_is_described_in_words(areas: ImportResult) -> None:
    providers_import(path=SCHOOLS_FILE, mapping="gias-schools-rating")
    school = Provider.objects.select_related("area").first()
    assert school is not None
    school.sub_type = "Academy converter, Primary"
    assert school.description == f"a primary academy in {school.area.name}"
