"""What the review's stages ask of the children's survey: no safeguarding concern left
unhandled when the report is published; and, at the end of fieldwork, the groups whose views
have not been gathered (a warning)."""

from datetime import date

from django.template.defaultfilters import pluralize

from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.stages import Line, on_confirming, precondition

from .models import Concern, ConcernStatus


@precondition(Stage.PUBLISHED)
def concerns_handled(review: Review, on: date) -> str | None:
    """Every safeguarding concern from the children's survey has been handled."""
    count = Concern.objects.filter(survey__review=review, status=ConcernStatus.NEW).count()
    if not count:
        return None
    return (
        f"{count} safeguarding concern{pluralize(count)} from the children's survey "
        f"{'are' if count > 1 else 'is'} not handled yet: the safeguarding contact passes "
        "each on or closes it."
    )


@on_confirming(Stage.FINDINGS_AGREED)
def views_not_gathered(review: Review, on: date) -> list[Line]:
    """Before the findings are agreed: the groups in scope whose views nobody has gathered
    (a warning on the end of fieldwork, not a refusal)."""
    from .coverage import review_coverage

    return [
        Line("Views not gathered", gap, still_open=True) for gap in review_coverage(review).gaps
    ]
