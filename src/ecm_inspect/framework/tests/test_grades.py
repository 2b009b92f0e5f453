"""The four-point grade scale (paragraph 12) and conversions from other scales."""

import pytest

from ecm_inspect.framework.grades import (
    CsciStandardRating,
    Grade,
    OfstedGrade,
    grade_from_csci,
    grade_from_ofsted,
)
from ecm_inspect.framework.selectors import grade_scale


def test_four_is_best() -> None:
    assert [int(g) for g in Grade] == [4, 3, 2, 1]
    assert max(Grade) is Grade.OUTSTANDING
    assert min(Grade) is Grade.INADEQUATE
    assert sorted(Grade, reverse=True) == [
        Grade.OUTSTANDING,
        Grade.GOOD,
        Grade.ADEQUATE,
        Grade.INADEQUATE,
    ]
    assert Grade.GOOD > Grade.ADEQUATE


def test_is_at_least() -> None:
    assert Grade.GOOD.is_at_least(Grade.ADEQUATE)
    assert Grade.GOOD.is_at_least(Grade.GOOD)
    assert not Grade.ADEQUATE.is_at_least(Grade.GOOD)
    assert Grade.OUTSTANDING.is_at_least(Grade.INADEQUATE)


def test_labels() -> None:
    assert [str(g.label) for g in Grade] == ["Outstanding", "Good", "Adequate", "Inadequate"]
    assert Grade.OUTSTANDING.apa_2005_label == "Very good"
    assert Grade.GOOD.apa_2005_label == "Good"
    assert grade_scale() == [
        {"grade": 4, "label": "Outstanding"},
        {"grade": 3, "label": "Good"},
        {"grade": 2, "label": "Adequate"},
        {"grade": 1, "label": "Inadequate"},
    ]


@pytest.mark.parametrize(
    ("ofsted", "grade"),
    [
        (1, Grade.OUTSTANDING),
        (2, Grade.GOOD),
        (3, Grade.ADEQUATE),
        (4, Grade.INADEQUATE),
        (OfstedGrade.REQUIRES_IMPROVEMENT, Grade.ADEQUATE),
    ],
)
def test_grade_from_ofsted(ofsted: int, grade: Grade) -> None:
    assert grade_from_ofsted(ofsted) is grade


@pytest.mark.parametrize(
    ("csci", "grade"),
    [
        (4, Grade.OUTSTANDING),
        (3, Grade.GOOD),
        (2, Grade.ADEQUATE),
        (1, Grade.INADEQUATE),
        (CsciStandardRating.ALMOST_MET, Grade.ADEQUATE),
    ],
)
def test_grade_from_csci(csci: int, grade: Grade) -> None:
    assert grade_from_csci(csci) is grade


def test_the_scales_run_opposite_ways() -> None:
    """An Ofsted 1 and a CSCI 4 are both the best; a bare int is never read as a Grade."""
    assert grade_from_ofsted(1) is grade_from_csci(4) is Grade.OUTSTANDING
    assert grade_from_ofsted(4) is grade_from_csci(1) is Grade.INADEQUATE
    assert grade_from_ofsted(1) != Grade(1)


@pytest.mark.parametrize("value", [0, 5, -1, "1"])
def test_grade_from_ofsted_rejects_other_values(value: object) -> None:
    with pytest.raises(ValueError, match=rf"^{value!r} is not an Ofsted grade") as info:
        grade_from_ofsted(value)  # type: ignore[arg-type]
    assert info.value.__cause__ is None  # raised from None: only the readable message


@pytest.mark.parametrize("value", [0, 5, "4"])
def test_grade_from_csci_rejects_other_values(value: object) -> None:
    with pytest.raises(ValueError, match=rf"^{value!r} is not a CSCI rating"):
        grade_from_csci(value)  # type: ignore[arg-type]
