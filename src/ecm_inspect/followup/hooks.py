"""What follow-up adds to other features: the next APA follows up the council's actions; on
publication the area's statement of proposed action is started with its due date, and an
intervention case is opened where the council's functions are found inadequate."""

from datetime import date
from typing import Any

from ecm_inspect.performance.services import FOLLOW_UP
from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.stages import on_entering

from .services import apa_follow_up_lines, intervention_check, statement_get

if apa_follow_up_lines not in FOLLOW_UP:
    FOLLOW_UP.append(apa_follow_up_lines)


@on_entering(Stage.PUBLISHED)
def follow_up_starts(review: Review, day: date, by: Any) -> None:
    """Runs after the report is frozen (the reports app registers first)."""
    statement_get(review=review)
    intervention_check(review=review)
