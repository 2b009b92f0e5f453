"""Fieldwork's refusals (findings, a tracked child's journey, meetings, neighbourhoods): each
names what is wrong and writes nothing; and the fieldwork rule's properties on any findings."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from ecm_inspect.evidence.case_files import case_files_import, child_track
from ecm_inspect.evidence.fieldwork import (
    fieldwork_weighing,
    finding_record,
    journey_step_add,
    meeting_record,
)
from ecm_inspect.evidence.models import (
    CaseFile,
    EvidenceItem,
    FieldworkFinding,
    FieldworkMeeting,
    Indication,
    JourneyStep,
)
from ecm_inspect.evidence.neighbourhoods import neighbourhood_study_add, neighbourhoods_of
from ecm_inspect.evidence.services import EvidenceRefused
from ecm_inspect.framework.grades import Grade
from ecm_inspect.reviews.services import review_create
from ecm_inspect.reviews.tests.conftest import ReviewWorld

from .conftest import case_list

TODAY = timezone.localdate()


def _counts() -> tuple[int, ...]:
    return (
        FieldworkFinding.objects.count(),
        EvidenceItem.objects.count(),
        JourneyStep.objects.count(),
        FieldworkMeeting.objects.count(),
    )


@pytest.fixture
def case(rw: ReviewWorld) -> CaseFile:
    case_files_import(review=rw.review, text=case_list(6))
    found = CaseFile.objects.filter(review=rw.review).first()
    assert found is not None
    return found


def _finding(rw: ReviewWorld, **changes: Any) -> FieldworkFinding:
    fields: dict[str, Any] = {
        "review": rw.review,
        "found": "Plans reviewed on time.",
        "key_judgement_codes": ["SS.4"],
        "indication": Indication.STRENGTH,
        "found_on": TODAY,
    }
    return finding_record(**(fields | changes))


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"indication": "sideways"}, "No direction 'sideways'"),
        ({"indication": Indication.WEAKNESS, "severity": "grave"}, "Say how serious the weakness"),
        ({"indication": Indication.NEUTRAL, "severity": "minor"}, "Only a weakness has a severity"),
        ({"aspect": "vibes"}, "No aspect of a service 'vibes'"),
        ({"key_judgement_codes": [" ", ""]}, "Say which key judgements"),
        ({"key_judgement_codes": ["SS.4", "BH.c1"]}, "No such key judgement: BH.C1"),
        ({"found": "\n\t "}, "Say what was found"),
        ({"found_on": TODAY + timedelta(days=1)}, "cannot be dated in the future"),
    ],
)
def test_a_refused_finding_names_what_is_wrong_and_writes_nothing(
    rw: ReviewWorld, case: CaseFile, changes: dict[str, Any], named: str
) -> None:
    before = _counts()
    with pytest.raises(EvidenceRefused) as refused:
        _finding(rw, case_file=case, **changes)
    assert named in str(refused.value)
    assert _counts() == before


def test_a_finding_comes_from_exactly_one_place(rw: ReviewWorld, case: CaseFile) -> None:
    child = child_track(review=rw.review, case_file=case, summary="Tracked.")
    for places in ({}, {"case_file": case, "tracked_child": child}):
        with pytest.raises(EvidenceRefused, match="from one case file, tracked child"):
            _finding(rw, **places)
    assert not FieldworkFinding.objects.exists()


def test_a_finding_cannot_cite_another_reviews_case_file(rw: ReviewWorld, case: CaseFile) -> None:
    other = review_create(
        area=rw.people.other_area, analysis_starts_on=date(2026, 9, 14),
        dcs_name="Sam Director", dcs_email="dcs@sunderland.example",
    )  # fmt: skip
    with pytest.raises(EvidenceRefused, match="That case-file reading belongs to another review"):
        _finding(rw, review=other, case_file=case)
    assert not FieldworkFinding.objects.exists()


def test_key_judgement_codes_are_read_in_any_case_and_once(rw: ReviewWorld, case: CaseFile) -> None:
    finding = _finding(rw, case_file=case, key_judgement_codes=["ss.4", " SS.4 ", "bh.1"])
    assert sorted(finding.key_judgements.values_list("code", flat=True)) == ["BH.1", "SS.4"]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"kind": "rumour"}, "No kind of step 'rumour'"),
        ({"service": "  "}, "Say which service"),
        ({"what_happened": ""}, "Say what happened"),
        ({"on": TODAY + timedelta(days=2)}, "cannot be in the future"),
    ],
)
def test_a_refused_journey_step_names_what_is_wrong(
    rw: ReviewWorld, case: CaseFile, changes: dict[str, Any], named: str
) -> None:
    child = child_track(review=rw.review, case_file=case, summary="Tracked.")
    fields: dict[str, Any] = {
        "child": child, "on": TODAY, "kind": "referral", "service": "Social care",
        "what_happened": "Referred by the school.",
    }  # fmt: skip
    with pytest.raises(EvidenceRefused, match=named):
        journey_step_add(**(fields | changes))
    assert not JourneyStep.objects.exists()


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"kind": "party"}, "No kind of meeting 'party'"),
        ({"title": " "}, "Say who the meeting was with"),
        ({"attendees": 0}, "at least one person"),
        ({"held_on": TODAY + timedelta(days=1)}, "once it has been held"),
        ({"group_slugs": ["ldd", "pets"]}, "No such vulnerable group: pets"),
    ],
)
def test_a_refused_meeting_names_what_is_wrong(
    rw: ReviewWorld, changes: dict[str, Any], named: str
) -> None:
    fields: dict[str, Any] = {
        "review": rw.review, "kind": "parents", "title": "Parents' forum", "held_on": TODAY,
        "attendees": 8,
    }  # fmt: skip
    with pytest.raises(EvidenceRefused, match=named):
        meeting_record(**(fields | changes))
    assert not FieldworkMeeting.objects.exists()


def test_a_meeting_keeps_the_groups_it_was_for(rw: ReviewWorld) -> None:
    meeting = meeting_record(
        review=rw.review, kind="children", title="Children in care council", held_on=TODAY,
        attendees=6, group_slugs=["children_in_care"],
    )  # fmt: skip
    assert list(meeting.vulnerable_groups.values_list("slug", flat=True)) == ["children_in_care"]


def test_a_neighbourhood_of_another_area_is_refused(rw: ReviewWorld) -> None:
    elsewhere = neighbourhoods_of(rw.people.other_area)
    mine = {r["lsoa11cd"] for r in neighbourhoods_of(rw.review.area)}
    foreign = next(r["lsoa11cd"] for r in elsewhere if r["lsoa11cd"] not in mine)
    with pytest.raises(EvidenceRefused, match=f"{foreign} is not a neighbourhood of Gateshead"):
        neighbourhood_study_add(review=rw.review, lsoa_code=foreign, why_chosen="Deprived")


# -- the fieldwork rule, on any findings -----------------------------------------------------

findings_st = st.lists(
    st.sampled_from(
        [
            (Indication.STRENGTH, ""),
            (Indication.WEAKNESS, "minor"),
            (Indication.WEAKNESS, "significant"),
            (Indication.WEAKNESS, "serious"),
            (Indication.NEUTRAL, ""),
        ]
    ),
    max_size=8,
)


def _items(found: list[tuple[str, str]]) -> list[EvidenceItem]:
    items = []
    for n, (indication, severity) in enumerate(found, 1):
        item = EvidenceItem(title=f"F{n}", indication=indication)
        item.fieldwork_finding = FieldworkFinding(pk=n, source="meeting", severity=severity)
        items.append(item)
    return items


@given(before=st.sampled_from([None, *Grade]), found=findings_st)
def test_fieldwork_moves_a_grade_one_step_at_most_and_a_serious_weakness_caps_it(
    before: Grade | None, found: list[tuple[str, str]]
) -> None:
    weighed = fieldwork_weighing(before, _items(found))
    serious = any(severity == "serious" for _, severity in found)
    if weighed.grade is not None:
        assert weighed.grade in Grade.values
        if serious:
            assert weighed.grade <= Grade.ADEQUATE
    if before is not None:
        assert weighed.grade is not None
        if not serious:
            assert abs(weighed.grade - before) <= 1
    if not found:
        assert weighed.grade == before
    else:
        assert all(f"F{n}" in " ".join(weighed.reasons) for n in range(1, len(found) + 1))


@given(before=st.sampled_from([None, *Grade]), found=findings_st)
def test_one_more_strength_never_lowers_the_grade(
    before: Grade | None, found: list[tuple[str, str]]
) -> None:
    without = fieldwork_weighing(before, _items(found)).grade
    more = fieldwork_weighing(before, _items([*found, (Indication.STRENGTH, "")])).grade
    if without is not None and more is not None:
        assert more >= without
