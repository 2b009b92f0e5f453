"""The APA run on hand-built areas, the inspector's decision, alerts, and indicator imports."""

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import World, area_make, client_for, world_build
from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.core.imports.errors import ImportFileError
from ecm_inspect.framework.services import framework_load
from ecm_inspect.performance.indicators import indicators_import
from ecm_inspect.performance.models import (
    AlertKind,
    Assessment,
    AssessmentJudgement,
    IndicatorDefinition,
    IndicatorValue,
    InterventionAlert,
    SelfAssessment,
)
from ecm_inspect.performance.self_assessment import (
    self_assessment_for,
    self_assessment_part_write,
    self_assessment_submit,
)
from ecm_inspect.performance.services import (
    AssessmentRefused,
    apa_run,
    critical_incident_log,
    judgement_record,
)
from ecm_inspect.registry.models import Area

YEAR = 2024
GROUPS = ["BH", "SS", "EA", "PC", "EW", "SM"]


def _definitions() -> dict[str, list[IndicatorDefinition]]:
    out = {}
    for group in GROUPS:
        out[group] = [
            IndicatorDefinition.objects.create(
                code=f"{group}{n}", title=f"{group} indicator {n}", outcome=group, polarity="higher"
            )
            for n in range(3)
        ]
    return out


def _values(area: Area | None, level: float, year: int = YEAR, groups: list[str] = GROUPS) -> None:
    for definition in IndicatorDefinition.objects.filter(outcome__in=groups):
        IndicatorValue.objects.create(
            indicator=definition, area=area, year=year, period=str(year), value=level
        )


@pytest.fixture
def world(db: None) -> World:
    framework_load()
    people = world_build()
    _definitions()
    _values(None, 50)  # England
    _values(None, 50, YEAR - 1)
    good, poor = people.own_area, people.other_area
    mixed = area_make("E06000001", "805", "Hartlepool")
    sparse = area_make("E06000002", "806", "Middlesbrough")
    _values(good, 70)
    _values(good, 70, YEAR - 1)
    _values(poor, 30)
    _values(poor, 50, YEAR - 1)  # fell since last year
    _values(mixed, 70, groups=["BH", "SS", "EA"])
    _values(mixed, 50, groups=["PC", "EW", "SM"])
    _values(sparse, 50, groups=["EA"])
    people.extra.update(mixed=mixed, sparse=sparse)
    return people


def _grades(area: Area, year: int = YEAR) -> dict[str, int | None]:
    return {
        j.kind: j.proposed_grade
        for j in AssessmentJudgement.objects.filter(assessment__area=area, assessment__year=year)
    }


def test_the_rule_on_hand_built_areas(world: World) -> None:
    apa_run(year=YEAR)
    good = _grades(world.own_area)
    assert good["SS"] == 4
    assert good["overall"] == 4
    poor = _grades(world.other_area)
    assert poor["SS"] == 1
    assert poor["overall"] == 1
    mixed = _grades(world.extra["mixed"])
    assert (mixed["SS"], mixed["EW"], mixed["overall"]) == (4, 3, 3)
    sparse = _grades(world.extra["sparse"])
    assert sparse["SS"] is None
    assert sparse["overall"] is None
    reasons = AssessmentJudgement.objects.get(
        assessment__area=world.extra["sparse"], kind="SS"
    ).reasons
    assert "insufficient evidence" in reasons[0]


def test_running_again_changes_nothing(world: World) -> None:
    apa_run(year=YEAR)
    history = AssessmentJudgement.history.count()  # type: ignore[attr-defined]
    apa_run(year=YEAR)
    assert AssessmentJudgement.history.count() == history  # type: ignore[attr-defined]
    assert Assessment.objects.filter(year=YEAR).count() == Area.objects.count()


def test_the_inspectors_grade_needs_a_reason_to_differ_and_is_audited(world: World) -> None:
    apa_run(year=YEAR)
    inspector = world.users[Role.INSPECTOR]
    judgement = AssessmentJudgement.objects.get(assessment__area=world.own_area, kind="SS")
    with pytest.raises(AssessmentRefused, match="say why the grade differs"):
        judgement_record(
            judgement=judgement, grade=3, rationale="Strong data", seen_version=1, by=inspector
        )
    judgement_record(
        judgement=judgement, grade=3, rationale="Strong data",
        override_reason="Two serious case reviews this year.", seen_version=1, by=inspector,
    )  # fmt: skip
    judgement.refresh_from_db()
    assert (judgement.proposed_grade, judgement.recorded_grade) == (4, 3)
    last = judgement.history.latest()  # type: ignore[attr-defined]
    delta = last.diff_against(last.prev_record)
    changed = {c.field: (c.old, c.new) for c in delta.changes}
    assert changed["recorded_grade"] == (None, 3)
    assert last.history_user == inspector
    with pytest.raises(EditConflict):
        judgement_record(judgement=judgement, grade=4, rationale="x", seen_version=1, by=inspector)
    # The recorded grade survives a re-run.
    apa_run(year=YEAR)
    judgement.refresh_from_db()
    assert judgement.recorded_grade == 3


def test_deterioration_to_inadequate_raises_an_alert(world: World) -> None:
    apa_run(year=YEAR - 1)
    before = _grades(world.other_area, YEAR - 1)
    assert before["SS"] == 3
    result = apa_run(year=YEAR)
    messages = [a.message for a in result.alerts]
    assert len(messages) == 1
    assert messages[0].startswith(f"Sunderland: fell to inadequate in {YEAR}: ")
    assert f"staying safe (good in {YEAR - 1})" in messages[0]
    assert all(a.kind == AlertKind.DETERIORATION for a in result.alerts)
    # Not raised twice.
    assert apa_run(year=YEAR).alerts == []


def test_a_critical_incident_raises_an_alert_at_once(world: World) -> None:
    incident = critical_incident_log(
        area=world.own_area, kind="serious_case_review", occurred_on=date(2024, 3, 14),
        source="Local Safeguarding Children Board", by=world.users[Role.NATIONAL_LEAD],
    )  # fmt: skip
    alert = InterventionAlert.objects.get(incident=incident)
    assert alert.kind == AlertKind.CRITICAL_INCIDENT
    assert "Gateshead: serious case review on 14 March 2024" in alert.message
    page = client_for(world.users[Role.NATIONAL_LEAD]).get("/apa/").content.decode()
    assert "Gateshead: serious case review" in page
    assert (
        "Gateshead: serious case review"
        not in client_for(world.users[Role.INSPECTOR]).get("/apa/").content.decode()
    )


def test_the_command_line_prints_json_per_area(world: World) -> None:
    out = io.StringIO()
    call_command("apa", "run", "--year", str(YEAR), "--format", "json", "--no-progress", stdout=out)
    rows = {r["gss_code"]: r for r in json.loads(out.getvalue())}
    assert rows["E08000037"]["judgements"]["overall"]["proposed"] == 4
    assert rows["E08000037"]["judgements"]["SS"]["reasons"]
    out = io.StringIO()
    call_command(
        "apa", "run", "--year", str(YEAR), "--area", "E08000024", "--no-progress", stdout=out
    )
    assert "Sunderland" in out.getvalue()
    with pytest.raises(CommandError, match="no area"):
        call_command("apa", "run", "--year", "2024", "--area", "E99999999")


def test_pages_letter_and_own_area_only(world: World) -> None:
    apa_run(year=YEAR)
    inspector = client_for(world.users[Role.INSPECTOR])
    page = inspector.get(f"/apa/{YEAR}/E08000037/")
    assert "Staying safe: proposed 4 (outstanding)" in page.content.decode()
    dcs = client_for(world.users[Role.DCS])  # Gateshead's
    page = dcs.get(f"/apa/{YEAR}/E08000037/")
    assert page.status_code == 200
    assert "proposed 4" not in page.content.decode()  # proposals stay with the inspectorate
    assert dcs.get(f"/apa/{YEAR}/E08000024/").status_code == 403
    # The draft letter is the inspector's until issued.
    assert dcs.get(f"/apa/{YEAR}/E08000037/letter/").status_code == 403
    assert dcs.get(f"/apa/{YEAR}/E08000037/letter.pdf").status_code == 403
    pdf = inspector.get(f"/apa/{YEAR}/E08000037/letter.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    letter = inspector.get(f"/apa/{YEAR}/E08000037/letter/").content.decode()
    assert (
        "Annual performance assessment of services for children and young people in Gateshead"
        in letter
    )
    assert "DRAFT" in letter
    # The assessing inspector records a grade through the page.
    response = inspector.post(
        f"/apa/{YEAR}/E08000037/",
        {"kind": "overall", "version": 1, "grade": 4, "rationale": "Consistently strong."},
    )
    assert response.status_code == 302
    assert dcs.post(f"/apa/{YEAR}/E08000037/", {"kind": "overall"}).status_code == 403


def test_self_assessment_parts_and_kept_versions(world: World) -> None:
    found = self_assessment_for(area=world.own_area, year=YEAR)
    dcs, partner = world.users[Role.DCS], world.users[Role.PARTNER_CONTRIBUTOR]
    self_assessment_part_write(
        self_assessment=found, section="SS", organisation="Gateshead council",
        strengths="Fast response", weaknesses="Re-referrals", self_grade=3, by=dcs,
    )  # fmt: skip
    self_assessment_part_write(
        self_assessment=found, section="PC", organisation="Gateshead YOT",
        strengths="Fewer first-time entrants", weaknesses="Reoffending", by=partner,
    )  # fmt: skip
    first = self_assessment_submit(self_assessment=found, by=dcs)
    assert len(first.content["parts"]) == 2
    self_assessment_part_write(
        self_assessment=found, section="SS", organisation="Gateshead council",
        strengths="Fast response; new hub", weaknesses="Re-referrals", self_grade=3, by=dcs,
    )  # fmt: skip
    found.refresh_from_db()
    assert found.status == "draft"
    second = self_assessment_submit(self_assessment=found, by=dcs)
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.content["parts"][1]["strengths"] == "Fast response"  # kept as sent
    # Only the DCS submits; the partner may write.
    client = client_for(partner)
    url = f"/apa/{YEAR}/E08000037/self-assessment/"
    assert client.post(url, {"submit": "submit"}).status_code == 403
    assert client_for(world.users[Role.DCS]).post(url, {"submit": "submit"}).status_code == 302


def test_opening_a_self_assessment_stores_nothing(world: World) -> None:
    """Reading the page for a year with no self-assessment shows a blank one; only the first
    part written creates it."""
    dcs = client_for(world.users[Role.DCS])
    url = f"/apa/{YEAR}/E08000037/self-assessment/"
    page = dcs.get(url)
    assert page.status_code == 200
    assert "Draft" in page.content.decode()
    assert not SelfAssessment.objects.exists()
    assert dcs.post(url, {"submit": "submit"}).status_code == 302  # nothing to submit
    assert not SelfAssessment.objects.exists()
    written = dcs.post(url, {"section": "SS", "strengths": "Fast", "weaknesses": "Slow"})
    assert written.status_code == 302
    assert SelfAssessment.objects.filter(area=world.own_area, year=YEAR).count() == 1


@pytest.mark.parametrize("year", [0, 1, 1999, 2004, 2099, 9999, 32767])
def test_a_year_no_apa_can_be_for_is_not_found(world: World, year: int) -> None:
    dcs = client_for(world.users[Role.DCS])
    url = f"/apa/{year}/E08000037/self-assessment/"
    assert dcs.get(url).status_code == 404
    assert dcs.post(url, {"section": "SS", "strengths": "a", "weaknesses": "b"}).status_code == 404
    assert not SelfAssessment.objects.exists()
    with pytest.raises(AssessmentRefused):
        self_assessment_for(area=world.own_area, year=year)


# -- importing indicators ------------------------------------------------------------------


def _snapshot() -> list[Any]:
    rows = IndicatorValue.objects.values_list("indicator__code", "area_id", "year", "value")
    return sorted((code, area or 0, year, value) for code, area, year, value in rows)


def _file(tmp_path: Path, text: str | bytes, name: str = "values.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


HEADER = "area_code,indicator,period,value,numerator,denominator\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (HEADER + "E08000037,SS0,2025,51,,\nE99999999,SS0,2025,3,,\n", "row 3, field 'area_code'"),
        (HEADER + "E08000037,NOPE,2025,51,,\n", "row 2, field 'indicator': unknown indicator"),
        (HEADER + "E08000037,SS0,2025,lots,,\n", "row 2, field 'value': not a number"),
        (HEADER + "E08000037,SS0,someday,5,,\n", "row 2, field 'period': no year"),
        (HEADER + "E08000037,SS0,2025,5,,\n390,SS0,2025,6,,\n", "is also on row 2"),
        ("area_code,indicator,value\nE08000037,SS0,5\n", "field 'period': this column is missing"),
        ("", "empty"),
        (HEADER, "no rows of data"),
    ],
)
def test_bad_indicator_files_write_nothing(
    world: World, tmp_path: Path, body: str, expected: str
) -> None:
    before = _snapshot()
    with pytest.raises(ImportFileError) as info:
        indicators_import(path=_file(tmp_path, body))
    assert expected in info.value.report()
    assert _snapshot() == before


BAD_VALUES = {
    "NaN": ("E08000037,SS0,2024,NaN,,", "row 2, field 'value': not a number: 'NaN'"),
    "inf": ("E08000037,SS0,2024,inf,,", "row 2, field 'value': not a number: 'inf'"),
    "-infinity": ("E08000037,SS0,2024,-Infinity,,", "field 'value': not a number"),
    "negative percentage": ("E08000037,SS1,2024,-5,,", "row 2, field 'value': '-5' is negative"),
    "period 20x9": ("E08000037,SS0,20x9,5,,", "row 2, field 'period': not a period like"),
    "period with junk": ("E08000037,SS0,2019xyz,5,,", "field 'period': not a period like"),
    "a year in 2099": ("E08000037,SS0,2099,5,,", "row 2, field 'period': no year from 1990"),
    "a period ending in 2099": ("E08000037,SS0,2098-99,5,,", "field 'period': no year from"),
    "negative numerator": ("E08000037,SS0,2024,5,-3,10", "row 2, field 'numerator': '-3' is neg"),
    "NaN denominator": ("E08000037,SS0,2024,5,3,nan", "field 'denominator': not a number"),
    "huge value": ("E08000037,SS0,2024,1e400,,", "field 'value': not a number"),
}


@pytest.mark.parametrize(("row", "expected"), BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_bad_indicator_values_are_row_and_field_errors(
    world: World, tmp_path: Path, row: str, expected: str
) -> None:
    """Through the importer and the command: refused with its row and field, nothing written
    (a good row before it is not written either)."""
    IndicatorDefinition.objects.filter(code="SS1").update(unit="% of children")
    before = _snapshot()
    path = _file(tmp_path, HEADER + row + "\nE08000037,SS2,2023,7,,\n")
    with pytest.raises(ImportFileError) as info:
        indicators_import(path=path)
    assert expected in info.value.report()
    with pytest.raises(CommandError) as caught:
        call_command("import", "indicators", str(path), "--no-progress", stdout=io.StringIO())
    assert expected in str(caught.value)
    assert str(caught.value).startswith("Nothing was imported.")
    assert _snapshot() == before


def test_a_year_column_must_be_a_year(world: World, tmp_path: Path) -> None:
    body = "area_code,indicator,period,value,year\nE08000037,SS0,2024,5,²\n"
    with pytest.raises(ImportFileError) as info:
        indicators_import(path=_file(tmp_path, body))
    assert "row 2, field 'year': no year from 1990" in info.value.report()
    # A percentage over 100 is real (take-up against a population estimate) and is kept.
    IndicatorDefinition.objects.filter(code="SS1").update(unit="% of 2 year olds")
    done = indicators_import(path=_file(tmp_path, HEADER + "E08000037,SS1,2023,102.5,,\n"))
    assert done.updated == 1


def test_wrong_encoding_writes_nothing(world: World, tmp_path: Path) -> None:
    before = _snapshot()
    body = (HEADER + "E08000037,SS0,2025,5,,\n").encode("utf-16")
    with pytest.raises(ImportFileError):
        indicators_import(path=_file(tmp_path, body))
    assert _snapshot() == before


def test_import_is_idempotent_and_updates_are_audited(world: World, tmp_path: Path) -> None:
    path = _file(tmp_path, HEADER + "E08000037,SS0,2025/26,51,,\nE92000001,SS0,2025/26,50,,\n")
    first = indicators_import(path=path)
    assert (first.created, first.updated) == (2, 0)
    value = IndicatorValue.objects.get(indicator__code="SS0", area=world.own_area, year=2026)
    history = value.history.count()  # type: ignore[attr-defined]
    again = indicators_import(path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert value.history.count() == history  # type: ignore[attr-defined]
    changed = _file(tmp_path, HEADER + "E08000037,SS0,2025/26,55,,\n", "changed.csv")
    dry = indicators_import(path=changed, dry_run=True)
    assert dry.updated == 1
    value.refresh_from_db()
    assert value.value == 51
    indicators_import(path=changed)
    value.refresh_from_db()
    assert value.value == 55
    last = value.history.latest()  # type: ignore[attr-defined]
    assert last.prev_record.value == 51
    assert last.history_change_reason == "import indicators changed.csv"


def test_council_documents_are_attached_with_their_hash(world: World) -> None:
    import hashlib

    from ecm_inspect.performance.self_assessment import council_document_add

    found = self_assessment_for(area=world.own_area, year=YEAR)
    document = council_document_add(
        self_assessment=found,
        kind="user_views",
        title="What families told us",
        content=io.BytesIO(b"survey analysis"),
        name="views.pdf",
        by=world.users[Role.DCS],
    )
    assert document.sha256 == hashlib.sha256(b"survey analysis").hexdigest()
    with pytest.raises(AssessmentRefused, match="analysis of user views or a plan"):
        council_document_add(
            self_assessment=found, kind="novel", title="x", content=io.BytesIO(b"x"), name="x.txt"
        )
    client = client_for(world.users[Role.PARTNER_CONTRIBUTOR])
    response = client.post(
        f"/apa/{YEAR}/E08000037/self-assessment/",
        {
            "kind": "plan",
            "title": "Children and young people's plan",
            "document": io.BytesIO(b"plan"),
        },
    )
    assert response.status_code == 302
    assert found.documents.count() == 2


def test_the_previous_inspection_is_evidence_with_its_reason_never_an_override(
    world: World,
) -> None:
    """An ILACS of the good area, published last year, that found help and protection
    inadequate: stated on staying safe, pointed out as two grades or more from the
    proposal, carried into the next review's fieldwork, and the proposed grade unchanged."""
    from ecm_inspect.performance.models import (
        AreaInspection,
        AreaInspectionJudgement,
        AreaInspectionKind,
        AreaJudgement,
    )

    good = world.own_area
    apa_run(year=YEAR)
    before = AssessmentJudgement.objects.get(
        assessment__area=good, assessment__year=YEAR, kind="SS"
    )
    ilacs = AreaInspection.objects.create(
        area=good, kind=AreaInspectionKind.ILACS, year=YEAR - 1, starts_on=date(YEAR - 1, 3, 4),
        ends_on=date(YEAR - 1, 3, 15), published_on=date(YEAR - 1, 5, 2), source="test",
    )  # fmt: skip
    for judgement, grade in ((AreaJudgement.HELP_AND_PROTECTION, 1), (AreaJudgement.OVERALL, 3)):
        AreaInspectionJudgement.objects.create(
            inspection=ilacs, judgement=judgement, grade=grade, as_published="x"
        )
    apa_run(year=YEAR)
    after = AssessmentJudgement.objects.get(pk=before.pk)
    assert after.proposed_grade == before.proposed_grade == 4
    said = [r for r in after.reasons if "previous inspection" in r]
    assert said == [
        f"The previous inspection (Inspection of local authority children's services (ILACS) "
        f"{YEAR - 1}, published 2 May {YEAR - 1}) found children who need help and protection "
        "inadequate: two grades or more from the previous inspection; test in the assessment "
        "what has changed."
    ]
    overall = AssessmentJudgement.objects.get(assessment=after.assessment, kind="overall")
    assert any("found overall effectiveness good." in r for r in overall.reasons)
    assert {"judgement": "SS", "why": "the previous inspection and the evidence disagree"} in (
        after.assessment.fieldwork_specification
    )
    # An inspection more than three years before the year is not evidence of it.
    ilacs.published_on = date(YEAR - 3, 12, 31)
    ilacs.save()
    apa_run(year=YEAR)
    assert not any(
        "previous inspection" in r for r in AssessmentJudgement.objects.get(pk=before.pk).reasons
    )


def test_the_overall_spread_gives_the_count_of_insufficient_evidence(world: World) -> None:
    apa_run(year=YEAR)
    page = client_for(world.users[Role.NATIONAL_LEAD]).get(f"/apa/?year={YEAR}").content.decode()
    assert "insufficient evidence 1." in page
    assert "insufficient evidence ." not in page
