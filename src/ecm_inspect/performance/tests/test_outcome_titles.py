"""The APA's judgements and the area inspections' are titled by the shipped Framework file."""

from ecm_inspect.framework.shipped import shipped_outcome_titles
from ecm_inspect.performance.models import OUTCOME_CODES, AreaJudgement, JudgementKind


def test_the_apa_judgements_and_area_judgements_are_titled_by_the_framework() -> None:
    titles = shipped_outcome_titles()
    assert OUTCOME_CODES == tuple(titles)
    for code, title in titles.items():
        assert JudgementKind(code).label == title
        assert AreaJudgement(code).label == title
