"""The risk counts each input once: the APA overall grade is its own part and is never read
again as the CPA stars."""

import pytest

from ecm_inspect.performance.models import Assessment, AssessmentJudgement, JudgementKind
from ecm_inspect.programme.models import CpaCategory
from ecm_inspect.programme.risk import POINTS, risk_score
from ecm_inspect.programme.risk_evidence import cpa_stars, risk_inputs
from ecm_inspect.registry.models import Area


def _parts(area: Area, year: int = 2026) -> dict[str, float]:
    score = risk_score(risk_inputs(year=year, areas=[area])[area.gss_code])
    return {p.name: p.points for p in score.parts}


def _apa(area: Area, grade: int, year: int = 2026) -> AssessmentJudgement:
    assessment, _ = Assessment.objects.get_or_create(area=area, year=year)
    judgement, _ = AssessmentJudgement.objects.update_or_create(
        assessment=assessment, kind=JudgementKind.OVERALL, defaults={"proposed_grade": grade}
    )
    return judgement


@pytest.mark.django_db
def test_an_area_with_only_an_apa_takes_the_neutral_cpa_part(small_world: list[Area]) -> None:
    area = small_world[0]
    judgement = _apa(area, 1)
    score = risk_score(risk_inputs(year=2026, areas=[area])[area.gss_code])
    cpa = next(p for p in score.parts if p.name == "cpa")
    assert cpa.points == POINTS["cpa"] / 2
    assert "no CPA category recorded" in cpa.reason
    assert cpa_stars(area=area, year=2026) == (None, "")
    before = _parts(area)
    judgement.proposed_grade = 4
    judgement.save()
    after = _parts(area)
    assert [k for k in before if before[k] != after[k]] == ["apa"]
    assert after["apa"] == 0.0
    assert before["apa"] == POINTS["apa"]


@pytest.mark.django_db
def test_with_an_apa_and_a_cpa_each_moves_only_its_own_part(small_world: list[Area]) -> None:
    area = small_world[1]
    judgement = _apa(area, 2)
    category = CpaCategory.objects.create(area=area, year=2026, stars=1)
    first = _parts(area)
    assert first["cpa"] == POINTS["cpa"] * 3 / 4
    category.stars = 4
    category.save()
    second = _parts(area)
    assert [k for k in first if first[k] != second[k]] == ["cpa"]
    judgement.proposed_grade = 3
    judgement.save()
    third = _parts(area)
    assert [k for k in second if second[k] != third[k]] == ["apa"]
