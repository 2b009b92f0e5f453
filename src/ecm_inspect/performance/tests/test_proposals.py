"""The proposal rule on hand-built evidence: no database."""

from ecm_inspect.framework.grades import Grade
from ecm_inspect.performance.proposals import (
    INSUFFICIENT,
    IndicatorReading,
    Proposal,
    capacity_proposal,
    group_proposal,
    overall_proposal,
)


def _readings(value: float, england: float = 50.0, n: int = 4) -> list[IndicatorReading]:
    """`n` higher-is-better indicators at `value`, England at `england`, neighbours the same,
    and last year equal to this year."""
    return [
        IndicatorReading(f"I{i}", f"Indicator {i}", "higher", value, england, england, value)
        for i in range(n)
    ]


def test_clearly_good_is_outstanding() -> None:
    proposal = group_proposal(kind="SS", readings=_readings(70))
    assert proposal.grade == 4
    assert proposal.reasons[0].startswith("Staying safe: proposed 4 (outstanding)")
    assert "4 better than England and similar areas" in proposal.reasons[1]


def test_clearly_poor_is_inadequate() -> None:
    proposal = group_proposal(kind="SS", readings=_readings(30))
    assert proposal.grade == 1
    assert "weakest: Indicator" in proposal.reasons[1]


def test_polarity_turns_the_comparison() -> None:
    lower_is_better = [
        IndicatorReading("R", "Re-referrals", "lower", 15.0, 22.0, 21.0, 18.0) for _ in range(3)
    ]
    assert group_proposal(kind="SS", readings=lower_is_better).grade == 4


def test_about_average_is_good() -> None:
    assert group_proposal(kind="EA", readings=_readings(50.5)).grade == 3


def test_mixed_evidence() -> None:
    readings = _readings(70, n=1) + _readings(30, n=3)
    proposal = group_proposal(kind="BH", readings=readings)
    assert proposal.grade == 2
    assert "1 better" in proposal.reasons[1]
    assert "3 worse" in proposal.reasons[1]


def test_missing_data_is_insufficient_evidence_not_a_guess() -> None:
    proposal = group_proposal(kind="PC", readings=_readings(70, n=1))
    assert proposal.grade is None
    assert proposal.words == INSUFFICIENT
    assert "insufficient evidence" in proposal.reasons[0]
    assert "Only 1 indicator with data" in proposal.reasons[1]


def test_inspection_evidence_counts_and_self_assessment_is_pointed_out() -> None:
    proposal = group_proposal(
        kind="SS", readings=_readings(50), inspection_grades={1: 6, 2: 4}, self_grade=4
    )
    assert proposal.grade == 2  # indicators average, inspections poor
    assert any("Setting inspections: 10 inspections" in r for r in proposal.reasons)
    assert any("two grades or more" in r for r in proposal.reasons)


def _p(kind: str, grade: int | None) -> Proposal:
    return Proposal(kind, Grade(grade) if grade else None, None, [])


def test_overall_is_a_judgement_not_an_average() -> None:
    # A real 2006 APA: outcome grades 3, 3, 2, 3, 2 gave overall 2 (the average is 2.6).
    outcomes = {
        k: _p(k, g) for k, g in zip(["BH", "SS", "EA", "PC", "EW"], [3, 3, 2, 3, 2], strict=True)
    }
    overall = overall_proposal(outcomes, _p("SM", 2))
    assert overall.grade == 2
    assert "All outcomes but one are adequate or better" in overall.reasons[1]
    capacity = capacity_proposal(_p("SM", 2), overall, {}, {})
    assert capacity.grade == 2


def test_one_weaker_outcome_does_not_pull_the_whole_down() -> None:
    outcomes = {
        k: _p(k, g) for k, g in zip(["BH", "SS", "EA", "PC", "EW"], [3, 3, 3, 3, 2], strict=True)
    }
    assert overall_proposal(outcomes, _p("SM", 3)).grade == 3


def test_staying_safe_limits_the_overall_grade() -> None:
    outcomes = {
        k: _p(k, g) for k, g in zip(["BH", "SS", "EA", "PC", "EW"], [4, 1, 4, 4, 4], strict=True)
    }
    overall = overall_proposal(outcomes, _p("SM", 4))
    assert overall.grade == 2
    assert "Staying safe is inadequate" in " ".join(overall.reasons)


def test_no_overall_grade_without_staying_safe() -> None:
    outcomes = {
        k: _p(k, g) for k, g in zip(["BH", "SS", "EA", "PC", "EW"], [3, None, 3, 3, 3], strict=True)
    }
    overall = overall_proposal(outcomes, _p("SM", 3))
    assert overall.grade is None
    assert "Staying safe" in overall.reasons[0]


def test_capacity_follows_improvement() -> None:
    overall = _p("overall", 3)
    rising = capacity_proposal(_p("SM", 3), overall, {"BH": 0.3, "SS": 0.3}, {"BH": 0.0, "SS": 0.1})
    assert rising.grade == 4
    falling = capacity_proposal(
        _p("SM", 3), overall, {"BH": -0.3, "SS": 0.0}, {"BH": 0.0, "SS": 0.3}
    )
    assert falling.grade == 2
