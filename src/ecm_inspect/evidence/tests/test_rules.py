"""Each sufficiency rule fires on a hand-built case and not on its near miss; screening catches
planted personal data. No database: the rules are pure functions."""

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from ecm_inspect.evidence.analysis import (
    ReasonKind,
    _concerns,
    judge,
    proposed_grade,
    reason_kind,
)
from ecm_inspect.evidence.models import EvidenceKind, Indication
from ecm_inspect.evidence.screening import redact, screen

START = date(2026, 9, 14)


def _kj(code: str = "EA.3", group: str = "") -> Any:
    return SimpleNamespace(
        code=code,
        text="children and young people achieve well",
        vulnerable_group=group,
        get_vulnerable_group_display=lambda: "Children and young people in care",
    )


def _item(
    dated: date = date(2026, 3, 1),
    grade: int | None = 3,
    indication: str = Indication.STRENGTH,
    title: str = "An item",
) -> Any:
    return SimpleNamespace(dated=dated, grade=grade, indication=indication, title=title)


def _reasons(kj: Any = None, items: list[Any] | None = None, **kwargs: Any) -> list[str]:
    options: dict[str, Any] = {"start": START, "gaps": [], "concern": None, "group_covered": True}
    options |= kwargs
    return judge(kj or _kj(), [_item()] if items is None else items, **options).reasons


def test_sufficient_evidence_is_agreed_at_analysis_with_the_sources_that_agree() -> None:
    verdict = judge(
        _kj(),
        [_item(grade=3, title="APA"), _item(grade=4, title="Setting inspections")],
        start=START,
        gaps=[],
        concern=None,
        group_covered=True,
    )
    assert verdict.reasons == []
    assert verdict.status == "agreed"
    assert verdict.proposed_grade == 4  # mean 3.5 rounds to the even 4
    assert verdict.stated == verdict.agreements
    assert verdict.agreements[0] == (
        "Agreed at analysis as 4 (outstanding): 2 of 2 sources agree, graded 3 to 4: APA; "
        "Setting inspections."
    )


def test_no_evidence() -> None:
    assert _reasons(items=[]) == ["Insufficient evidence: no evidence bears on this judgement."]
    assert _reasons(items=[_item()]) == []


def test_not_recent() -> None:
    assert "Insufficient evidence: not recent" in _reasons(items=[_item(dated=date(2023, 8, 1))])[0]
    assert _reasons(items=[_item(dated=date(2023, 10, 1))]) == []


def test_nothing_graded_or_pointing_either_way_is_insufficient() -> None:
    neutral = [_item(grade=None, indication=Indication.NEUTRAL)] * 2
    assert _reasons(items=neutral) == [
        "Insufficient evidence: none of the 2 items is graded or points either way, so no "
        "grade can be proposed."
    ]
    assert _reasons(items=[*neutral, _item(grade=None)]) == []


def test_no_evidence_about_the_vulnerable_group_is_insufficient() -> None:
    group = _kj("SS.7", group="children_in_care")
    assert _reasons(group, group_covered=False) == [
        "Insufficient evidence: no evidence about children and young people in care."
    ]
    assert _reasons(group, group_covered=True) == []


def test_conflicting_grades() -> None:
    assert _reasons(items=[_item(grade=1), _item(grade=3)]) == [
        "Conflicting: sources grade it from 1 to 3."
    ]
    assert _reasons(items=[_item(grade=2), _item(grade=3)]) == []


def test_strengths_and_weaknesses_conflict_unless_the_weaknesses_are_a_small_minority() -> None:
    weak = _item(grade=None, indication=Indication.WEAKNESS, title="Indicators")
    strong = _item(grade=None, title="APA")
    assert _reasons(items=[strong, weak]) == [
        "Conflicting: 1 source shows a strength and 1 a weakness, not a small minority. "
        "Strengths: APA. Weaknesses: Indicators."
    ]
    # One weakness against two strengths is a third: a small minority, noted, not a conflict.
    verdict = judge(_kj(), [strong, strong, weak], start=START)
    assert verdict.reasons == []
    assert verdict.agreements[1].startswith("A small minority points the other way (1 of 3)")
    assert _reasons(items=[strong, strong]) == []


def test_particular_concern() -> None:
    assert _reasons(concern="graded 2 (adequate) in the APA") == [
        "Of particular concern: graded 2 (adequate) in the APA."
    ]
    assert _reasons(concern=None) == []


def test_safeguarding_always_needs_fieldwork() -> None:
    reasons = _reasons(_kj("SS.4"), items=[_item(grade=4), _item(grade=4)])
    assert reasons[0].startswith("Always fieldwork")
    assert reason_kind(reasons[0]) == ReasonKind.ALWAYS
    assert _reasons(_kj("SS.3"), items=[_item(grade=4)]) == []


def test_a_missing_expected_source_needs_fieldwork_a_minor_gap_does_not() -> None:
    missing = ["Special school (8 in the area): none inspected on EA.7 in the last three years"]
    reasons = _reasons(missing=missing)
    assert reasons == [f"Missing expected source: {missing[0]}."]
    assert reason_kind(reasons[0]) == ReasonKind.MISSING_SOURCE
    verdict = judge(_kj(), [_item()], start=START, gaps=["Day care (1)"])
    assert verdict.reasons == []
    assert verdict.agreements[-1] == (
        "Not inspected recently, but contributing little to this judgement: Day care (1)."
    )


def test_every_fieldwork_reason_has_a_kind() -> None:
    reasons = [
        *_reasons(_kj("SS.4"), items=[]),
        *_reasons(items=[_item(grade=1), _item(grade=4)], concern="graded 1 in the APA"),
        *_reasons(missing=["x"]),
    ]
    assert reasons
    assert all(reason_kind(r) is not None for r in reasons)


def test_the_proposed_grade_counts_each_source_once() -> None:
    # The pooled setting inspections are one item, however many inspections stand behind it.
    pooled = _item(grade=4, title="Setting inspections on SS.2: 12 distinct inspections")
    assert proposed_grade([pooled, _item(grade=2)]) == 3
    assert proposed_grade([_item(grade=None)]) == 3
    assert proposed_grade([_item(grade=None, indication=Indication.WEAKNESS)]) == 2
    assert proposed_grade([_item(grade=None, indication=Indication.NEUTRAL)]) is None
    assert proposed_grade([]) is None


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Spoke to Jessica Smith about the plan.", "name", "Jessica Smith"),
        ("Mrs Okonkwo attended the review.", "name", "Mrs Okonkwo"),
        ("Her NHS number is 943 476 5919.", "NHS number", "943 476 5919"),
        ("Lives near NE8 1HH with an aunt.", "postcode", "NE8 1HH"),
        ("Born 14/03/2012, placed in 2020.", "date of birth", "14/03/2012"),
        ("DOB: 3 May 2011.", "date of birth", "3 May 2011"),
        ("Moved to 22 Coatsworth Road last spring.", "address", "22 Coatsworth Road"),
        ("Email mum at someone@example.org today.", "email address", "someone@example.org"),
        ("Call 0191 433 3000 for the team.", "phone number", "0191 433 3000"),
    ],
)
def test_planted_personal_data_is_caught(text: str, kind: str, found: str) -> None:
    findings = screen(text)
    # The finding covers the words (it may take in the label before them: "DOB: 3 May 2011").
    assert any(f.kind == kind and found in f.text for f in findings), findings
    assert found not in redact(text, findings)


def test_near_misses_are_not_flagged() -> None:
    # A ten-digit number that fails the NHS check digit; ordinary capitalised words.
    assert screen("Case reference 1234567890 was closed.") == []
    assert screen("The Children Act requires a plan. Social Care reviewed it.") == []


def _pulled(kind: str, grade: int | None, indication: str, outcome: str = "BH") -> Any:
    kj = SimpleNamespace(outcome=SimpleNamespace(code=outcome))
    return SimpleNamespace(
        kind=kind,
        grade=grade,
        indication=indication,
        key_judgements=SimpleNamespace(all=lambda: [kj]),
    )


def test_an_outcome_is_of_particular_concern_when_the_apa_grades_it_adequate_or_below() -> None:
    apa = EvidenceKind.APA_FINDINGS
    assert _concerns([_pulled(apa, 2, Indication.WEAKNESS)]) == {
        "BH": "graded 2 (adequate) in the APA"
    }
    assert _concerns([_pulled(apa, 3, Indication.STRENGTH)]) == {}


def test_weak_indicators_are_a_concern_only_where_the_apa_has_not_graded_the_outcome() -> None:
    weak = _pulled(EvidenceKind.PERFORMANCE_DATA, None, Indication.WEAKNESS)
    assert "indicators worse than England" in _concerns([weak])["BH"]
    assert _concerns([weak, _pulled(EvidenceKind.APA_FINDINGS, 3, Indication.STRENGTH)]) == {}
