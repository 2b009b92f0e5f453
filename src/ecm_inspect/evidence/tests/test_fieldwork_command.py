"""`ecm fieldwork`: the team lists and records findings and lists meetings from the command
line; refusals are errors with the service's reason; no text of a finding is ever printed."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from ecm_inspect.accounts.models import Role
from ecm_inspect.evidence.case_files import case_files_import, child_track
from ecm_inspect.evidence.fieldwork import meeting_record, neighbourhood_describe
from ecm_inspect.evidence.models import CaseFile, FieldworkFinding
from ecm_inspect.evidence.neighbourhoods import neighbourhood_study_add, neighbourhoods_of
from ecm_inspect.reviews.tests.conftest import ReviewWorld

from .conftest import case_list

FOUND_TEXT = "zq4417 assessment drifted for eleven weeks"


def _ecm(*args: object) -> str:
    out = io.StringIO()
    call_command("fieldwork", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_team_records_findings_and_lists_them_without_their_text(rw: ReviewWorld) -> None:
    review = rw.review
    case_files_import(review=review, text=case_list(10))
    case = CaseFile.objects.filter(review=review).first()
    assert case is not None
    child = child_track(review=review, summary="Referred by the school.")
    rows = neighbourhoods_of(review.area)
    study = neighbourhood_study_add(review=review, lsoa_code=rows[0]["lsoa11cd"], why_chosen="IMD")
    neighbourhood_describe(
        study=study, seen_version=study.version, name="The Avenues estate", place_kind="estate",
        lsoa_codes=[rows[1]["lsoa11cd"]], context="", provision="", visits="", discussions="",
    )  # fmt: skip
    meeting = meeting_record(
        review=review, kind="staff", title="Front-line social workers", attendees=8,
        held_on=date(2026, 10, 1), notes=f"Notes {FOUND_TEXT}",
    )  # fmt: skip
    assert "no fieldwork findings yet" in _ecm("findings", review.pk)

    said = _ecm(
        "record", review.pk, "--case-file", case.pseudonym, "--kj", "SS.4", "--kj", "ss.3",
        "--direction", "weakness", "--severity", "significant", "--found", FOUND_TEXT,
        "--service", "Children's social care", "--aspect", "timeliness", "--on", "2026-10-01",
        "--by", "test-inspector",
    )  # fmt: skip
    reading = FieldworkFinding.objects.get()
    assert said.startswith(f"Recorded Case-file reading F{reading.pk}")
    assert "a significant weakness on SS.3, SS.4 (timeliness of decisions" in said
    assert reading.recorded_by == rw.people.users[Role.INSPECTOR]
    assert reading.found == FOUND_TEXT
    _ecm(
        "record", review.pk, "--tracked-child", child.pseudonym, "--kj", "SS.4",
        "--direction", "weakness", "--severity", "serious", "--found", FOUND_TEXT,
        "--on", "2026-10-02",
    )  # fmt: skip
    _ecm(
        "record", review.pk, "--neighbourhood", rows[1]["lsoa11cd"].lower(), "--kj", "EA.6",
        "--direction", "strength", "--found", FOUND_TEXT, "--on", "2026-10-03",
    )  # fmt: skip
    _ecm(
        "record", review.pk, "--meeting", meeting.pk, "--kj", "SS.4", "--direction", "neutral",
        "--found", FOUND_TEXT, "--on", "2026-10-04",
    )  # fmt: skip

    table = _ecm("findings", review.pk)
    lines = table.splitlines()
    assert "4 fieldwork findings" in lines[0]
    assert lines[1].split() == [
        "Reference", "Source", "Key", "judgements", "Direction", "Severity", "Found", "on",
    ]  # fmt: skip
    assert f"Case-file reading F{reading.pk}" in lines[2]
    assert f"case file {case.pseudonym}" in lines[2]
    assert "SS.3, SS.4" in lines[2]
    assert lines[2].split()[-3:] == ["weakness", "significant", "2026-10-01"]
    assert f"tracked child {child.pseudonym}" in lines[3]
    assert "serious" in lines[3]
    assert "neighbourhood The Avenues estate" in lines[4]
    assert lines[4].split()[-3:] == ["strength", "-", "2026-10-03"]
    assert f"meeting {meeting.pk} (front-line staff (a focus group))" in lines[5]
    as_json = json.loads(_ecm("findings", review.pk, "--format", "json"))
    assert [f["reference"] for f in as_json][0] == reading.reference
    meetings = _ecm("meetings", review.pk)
    assert "Front-line social workers (8 took part): 1 finding" in meetings
    assert json.loads(_ecm("meetings", review.pk, "--format", "json"))[0]["attendees"] == 8
    for printed in (table, meetings, json.dumps(as_json)):
        assert "zq4417" not in printed
        assert "eleven weeks" not in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--direction", "weakness"], "Refused: Say how serious the weakness is"),
        (["--direction", "strength", "--severity", "minor"], "Refused: Only a weakness"),
        (["--direction", "strength", "--kj", "ZZ.9"], "Refused: No such key judgement: ZZ.9"),
        (["--direction", "strength", "--on", "2999-01-01"], "Refused: A finding cannot be dated"),
        (["--direction", "strength", "--on", "1 May"], "is not a date"),
        (
            ["--direction", "strength", "--found", "Jessica Smith was seen late."],
            "Refused: This text may identify someone",
        ),
        (["--direction", "strength", "--by", "test-national_lead"], "may not do this"),
        (["--direction", "strength", "--by", "test-dcs"], "may not do this"),
    ],
)
def test_refusals_are_errors_with_the_reason(
    rw: ReviewWorld, args: list[str], message: str
) -> None:
    case_files_import(review=rw.review, text=case_list(4))
    case = CaseFile.objects.filter(review=rw.review).first()
    assert case is not None
    base = ["record", rw.review.pk, "--case-file", case.pseudonym, "--kj", "SS.4"]
    found = [] if "--found" in args else ["--found", "Plan reviewed late."]
    with pytest.raises(CommandError, match=message):
        _ecm(*base, *found, *args)
    assert not FieldworkFinding.objects.exists()


def test_unknown_sources_and_outsiders_are_refused(rw: ReviewWorld) -> None:
    review = rw.review
    common = ["--kj", "SS.4", "--direction", "strength", "--found", "Seen."]
    for where, message in (
        (["--case-file", "NOBODY"], "this review has no case file NOBODY"),
        (["--tracked-child", "NOBODY"], "this review tracks no child NOBODY"),
        (["--neighbourhood", "E01000001"], "this review studies no place with E01000001"),
        (["--meeting", "99999"], "this review has no meeting 99999"),
        (["--meeting", str(2**70)], "is not an id"),
    ):
        with pytest.raises(CommandError, match=message):
            _ecm("record", review.pk, *where, *common)
    with pytest.raises(CommandError, match="no review 99999"):
        _ecm("findings", 99999)
    for role in ("national_lead", "inspectorate_lead", "dcs", "partner_contributor"):
        for action in ("findings", "meetings"):
            with pytest.raises(CommandError, match="may not do this"):
                _ecm(action, review.pk, "--by", f"test-{role}")
    assert "no meetings" in _ecm("meetings", review.pk, "--by", "test-review_team_leader")
