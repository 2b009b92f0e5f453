"""Each sufficiency rule fires on a hand-built case and not on its near miss; screening catches
planted personal data. No database: the rules are pure functions."""

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from ecm_inspect.evidence.analysis import judge
from ecm_inspect.evidence.models import Indication
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
    dated: date = date(2026, 3, 1), grade: int | None = 3, indication: str = Indication.STRENGTH
) -> Any:
    return SimpleNamespace(dated=dated, grade=grade, indication=indication)


def _reasons(kj: Any = None, items: list[Any] | None = None, **kwargs: Any) -> list[str]:
    options: dict[str, Any] = {"start": START, "gaps": [], "concern": None, "group_covered": True}
    options |= kwargs
    return judge(kj or _kj(), [_item()] if items is None else items, **options).reasons


def test_sufficient_evidence_is_agreed_at_analysis() -> None:
    verdict = judge(
        _kj(),
        [_item(grade=3), _item(grade=4)],
        start=START,
        gaps=[],
        concern=None,
        group_covered=True,
    )
    assert verdict.reasons == []
    assert verdict.status == "agreed"
    assert verdict.proposed_grade == 4  # mean 3.5 rounds to the even 4


def test_no_evidence() -> None:
    assert _reasons(items=[]) == ["No evidence bears on this judgement."]
    assert _reasons(items=[_item()]) == []


def test_not_recent() -> None:
    assert "Not recent" in _reasons(items=[_item(dated=date(2023, 8, 1))])[0]
    assert _reasons(items=[_item(dated=date(2023, 10, 1))]) == []


def test_limited_in_scope() -> None:
    assert _reasons(gaps=["Children's home (4)"]) == [
        "Limited in scope: no recent inspection of Children's home (4)."
    ]
    group = _kj("SS.7", group="children_in_care")
    assert (
        "no evidence about children and young people in care"
        in _reasons(group, group_covered=False)[0]
    )
    assert _reasons(group, group_covered=True) == []


def test_conflicting() -> None:
    assert _reasons(items=[_item(grade=1), _item(grade=3)]) == [
        "Conflicting: sources grade it from 1 to 3."
    ]
    assert _reasons(items=[_item(grade=2), _item(grade=3)]) == []
    mixed = [_item(grade=None), _item(grade=None, indication=Indication.WEAKNESS)]
    assert _reasons(items=mixed) == [
        "Conflicting: some evidence shows a strength, some a weakness."
    ]
    assert _reasons(items=[_item(grade=None), _item(grade=None)]) == []


def test_particular_concern() -> None:
    assert _reasons(concern="graded 2 (adequate) in the APA") == [
        "Of particular concern: graded 2 (adequate) in the APA."
    ]


def test_safeguarding_always_needs_fieldwork() -> None:
    reasons = _reasons(_kj("SS.4"), items=[_item(grade=4), _item(grade=4)])
    assert reasons[0].startswith("Safeguarding")
    assert _reasons(_kj("SS.3"), items=[_item(grade=4)]) == []


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
    assert (kind, found) in {(f.kind, f.text) for f in findings}
    assert found not in redact(text, findings)


def test_near_misses_are_not_flagged() -> None:
    # A ten-digit number that fails the NHS check digit; ordinary capitalised words.
    assert screen("Case reference 1234567890 was closed.") == []
    assert screen("The Children Act requires a plan. Social Care reviewed it.") == []
