"""What the review's stages ask of the children's survey: no safeguarding concern left
unhandled when the report is published."""

from datetime import date

from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.stages import precondition

from .models import Concern, ConcernStatus


@precondition(Stage.PUBLISHED)
def concerns_handled(review: Review, on: date) -> str | None:
    """Every safeguarding concern from the children's survey has been handled."""
    count = Concern.objects.filter(survey__review=review, status=ConcernStatus.NEW).count()
    if not count:
        return None
    return (
        f"{count} safeguarding concern{'s' if count > 1 else ''} from the children's survey "
        f"{'are' if count > 1 else 'is'} not handled yet: the safeguarding contact passes "
        "each on or closes it."
    )
