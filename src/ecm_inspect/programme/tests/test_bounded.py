"""Drawing the synthetic corporate assessments never spins: with no fortnight to be had, it
says so after a bounded number of tries."""

from datetime import date

import pytest

from ecm_inspect.programme import workforce


def test_corporate_assessments_are_placed_outside_the_holidays() -> None:
    placed = workforce.synthetic_corporate_assessments(
        seed=3, gss_codes=["E08000037", "E06000047"], start=date(2027, 1, 4), years=3
    )
    assert set(placed) == {"E08000037", "E06000047"}
    for assessment in placed.values():
        assert not workforce.in_summer(assessment.starts_on)
        assert assessment.starts_on.weekday() == 0


def test_no_fortnight_to_be_had_is_said_not_spun(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workforce, "in_summer", lambda day: True)
    with pytest.raises(ValueError, match="No fortnight outside the summer and Christmas"):
        workforce.synthetic_corporate_assessments(
            seed=3, gss_codes=["E08000037"], start=date(2027, 1, 4), years=3
        )
