"""Recording corporate assessments and CPA categories: the national lead's pages, the API and
`ecm import`; the programme uses the recorded ones."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from ecm_inspect.programme.models import CorporateAssessment, CpaCategory, Sequencing
from ecm_inspect.programme.selectors import corporate_assessments_in_force
from ecm_inspect.registry.models import Area, Inspector

pytestmark = pytest.mark.django_db


def test_the_national_lead_records_a_corporate_assessment_replacing_the_synthetic_one(
    small_world: list[Area], national_lead: Client
) -> None:
    area = small_world[4]
    CorporateAssessment.objects.filter(area=area).update(is_synthetic=True)
    shared = Inspector.objects.first()
    assert shared is not None
    refused = national_lead.post(
        "/programme/corporate-assessments/",
        {"area": area.gss_code, "starts_on": "2027-03-08", "ends_on": "2027-03-01",
         "option": "1", "shared_team_members": "Nobody Known"},
    )  # fmt: skip
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "It ends on or after the day it starts." in page
    assert "No inspector is Nobody Known." in page
    assert 'value="2027-03-08"' in page  # what was typed is kept
    done = national_lead.post(
        "/programme/corporate-assessments/",
        {"area": area.gss_code, "starts_on": "2027-03-01", "ends_on": "2027-03-12",
         "option": "1", "shared_team_members": f"{shared.full_name}"},
    )  # fmt: skip
    assert done.status_code == 302
    recorded = CorporateAssessment.objects.get(area=area)  # the synthetic one is gone
    assert (recorded.starts_on, recorded.option, recorded.is_synthetic) == (
        date(2027, 3, 1), Sequencing.JAR_THEN_CA, False,
    )  # fmt: skip
    assert list(recorded.shared_team_members.all()) == [shared]
    assert corporate_assessments_in_force({area.pk})[area.pk] == recorded
    side = national_lead.get(f"/programme/areas/{area.gss_code}/").content.decode()
    assert "Corporate assessment" in side
    assert shared.full_name in side


def test_a_recorded_corporate_assessment_is_used_before_a_synthetic_one(
    small_world: list[Area],
) -> None:
    area = small_world[0]
    synthetic = CorporateAssessment.objects.create(
        area=area, starts_on=date(2028, 1, 10), ends_on=date(2028, 1, 21), option=4,
        is_synthetic=True,
    )  # fmt: skip
    recorded = CorporateAssessment.objects.create(
        area=area, starts_on=date(2027, 1, 11), ends_on=date(2027, 1, 22), option=2
    )
    assert corporate_assessments_in_force({area.pk})[area.pk] == recorded
    assert synthetic.pk != recorded.pk


def test_the_national_lead_records_a_cpa_category(
    small_world: list[Area], national_lead: Client
) -> None:
    area = small_world[0]
    refused = national_lead.post(
        "/programme/cpa-categories/",
        {"area": area.gss_code, "year": "2026", "stars": "5", "block_housing": "9"},
    )
    assert refused.status_code == 422
    assert "Ensure this value is less than or equal to 4." in refused.content.decode()
    done = national_lead.post(
        "/programme/cpa-categories/",
        {"area": area.gss_code, "year": "2026", "stars": "3",
         "direction_of_travel": "improving_well", "block_children_and_young_people": "3"},
    )  # fmt: skip
    assert done.status_code == 302
    category = CpaCategory.objects.get(area=area, year=2026)
    assert (category.stars, category.direction_of_travel, category.block_scores) == (
        3, "improving_well", {"children_and_young_people": 3},
    )  # fmt: skip
    assert "Improving well" in national_lead.get("/programme/cpa-categories/").content.decode()


def test_the_api_records_and_lists_them(small_world: list[Area], national_lead: Client) -> None:
    area = small_world[1]
    bad = national_lead.post(
        "/api/programme/cpa-categories/",
        {"area": area.gss_code, "year": 2026, "stars": 7},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert any(e.startswith("Stars:") for e in bad.json()["errors"])
    ok = national_lead.post(
        "/api/programme/cpa-categories/",
        {"area": area.gss_code, "year": 2026, "stars": 2, "direction_of_travel": "",
         "block_scores": {"use_of_resources": 2}},
        content_type="application/json",
    )  # fmt: skip
    assert ok.status_code == 200
    assert ok.json()["block_scores"] == {"use_of_resources": 2}
    listed = national_lead.get("/api/programme/cpa-categories/").json()
    assert [(c["gss_code"], c["stars"]) for c in listed] == [(area.gss_code, 2)]
    ca = national_lead.post(
        "/api/programme/corporate-assessments/",
        {"area": area.gss_code, "starts_on": "2027-05-10", "ends_on": "2027-05-21",
         "option": 3, "shared_team_members": []},
        content_type="application/json",
    )  # fmt: skip
    assert ca.status_code == 200
    assert ca.json()["option"] == 3
    cas = national_lead.get("/api/programme/corporate-assessments/").json()
    assert any(c["gss_code"] == area.gss_code and not c["is_synthetic"] for c in cas)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ecm_import_is_all_or_nothing_naming_row_and_field(
    small_world: list[Area], tmp_path: Path
) -> None:
    a, b = small_world[0], small_world[1]
    bad = _write(
        tmp_path, "cpa.csv",
        "area_code,year,stars,direction_of_travel,block_children_and_young_people\n"
        f"{a.gss_code},2026,3,improving_well,3\n"
        f"{b.gss_code},2026,6,,2\n",
    )  # fmt: skip
    with pytest.raises(CommandError) as refused:
        call_command("import", "cpa-categories", str(bad), "--no-progress")
    assert "row 3, field 'stars'" in str(refused.value)
    assert not CpaCategory.objects.exists()  # nothing written
    good = _write(
        tmp_path, "cpa2.csv",
        "area_code,year,stars,direction_of_travel,block_children_and_young_people\n"
        f"{a.gss_code},2026,3,improving_well,3\n"
        f"{b.gss_code},2026,1,,\n",
    )  # fmt: skip
    call_command("import", "cpa-categories", str(good), "--no-progress")
    assert CpaCategory.objects.get(area=a, year=2026).block_scores == {
        "children_and_young_people": 3
    }
    assert CpaCategory.objects.get(area=b, year=2026).stars == 1
    cas = _write(
        tmp_path, "ca.csv",
        "area_code,starts_on,ends_on,option,shared_team_members\n"
        f"{a.gss_code},2027-02-01,2027-02-12,2,\n"
        f"{b.gss_code},2027-02-01,2027-01-12,9,\n",
    )  # fmt: skip
    with pytest.raises(CommandError) as refused:
        call_command("import", "corporate-assessments", str(cas), "--no-progress")
    assert "row 3, field 'option'" in str(refused.value)
    assert "row 3, field 'ends_on'" in str(refused.value)
    assert not CorporateAssessment.objects.filter(area=a).exists()
