"""Publication waits for every safeguarding concern of the children's survey to be handled."""

from datetime import date

from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.stages import refusals
from ecm_inspect.voices.concerns import concern_raise
from ecm_inspect.voices.guards import concerns_handled
from ecm_inspect.voices.models import Concern, ConcernStatus

from .conftest import SurveyWorld

DAY = date(2026, 12, 1)


def test_publication_is_refused_while_a_survey_concern_is_new(sw: SurveyWorld) -> None:
    review = sw.rw.review
    Review.objects.filter(pk=review.pk).update(stage=Stage.FINDINGS_MEETING_HELD)
    review.refresh_from_db()
    assert concerns_handled(review, DAY) is None
    concern = concern_raise(school=sw.school, source="asked", text="Help")
    reason = (
        "1 safeguarding concern from the children's survey is not handled yet: the "
        "safeguarding contact passes each on or closes it."
    )
    assert concerns_handled(review, DAY) == reason
    assert reason in refusals(review, Stage.PUBLISHED, DAY)
    Concern.objects.filter(pk=concern.pk).update(status=ConcernStatus.PASSED_ON)
    assert concerns_handled(review, DAY) is None
    assert reason not in refusals(review, Stage.PUBLISHED, DAY)


def test_only_this_reviews_concerns_count(sw: SurveyWorld) -> None:
    concern_raise(school=sw.school, source="asked", text="Help")
    other = Review.objects.create(
        area=sw.rw.review.area,
        analysis_starts_on=date(2027, 3, 1),
        dcs_name="X",
        dcs_email="x@example.org",
    )
    assert concerns_handled(other, DAY) is None
