"""What each confirmed move does, for its "check your answers" page: who is e-mailed and with
what subject, what closes. Other features add theirs with `stages.on_confirming` (the report
says what becomes public)."""

from dataclasses import dataclass
from datetime import date

from .models import MilestoneKind, NoMoreComments, Review, Stage
from .services import _MESSAGES, message_compose
from .stages import CONFIRMED, Line, consequences, next_transition, on_confirming, refusals


@dataclass(frozen=True)
class Confirmation:
    """A confirmed move as its page shows it: what it does, what stays open, why it is refused."""

    target: Stage
    action: str
    day: date
    happens: list[Line]
    still_open: list[Line]
    refusals: list[str]
    message: tuple[str, str] | None  # (subject, body) of the e-mail it sends, if any


def confirmation_for(*, review: Review, target: Stage, day: date) -> Confirmation:
    lines = consequences(review, target, day)
    message = None
    if target in _MESSAGES:
        message = message_compose(review=review, template=_MESSAGES[target][1])
    transition = next_transition(review.stage)
    reasons = refusals(review, target, day)
    return Confirmation(
        target=target,
        action=CONFIRMED.get(target, transition.action if transition else ""),
        day=day,
        happens=[line for line in lines if not line.still_open],
        still_open=[line for line in lines if line.still_open],
        refusals=reasons,
        message=message,
    )


def _emails(review: Review, day: date, target: Stage) -> list[Line]:
    subject, _ = message_compose(review=review, template=_MESSAGES[target][1])
    return [
        Line("E-mailed to", f"{review.dcs_name} <{review.dcs_email}>"),
        Line("Subject", subject),
    ]


@on_confirming(Stage.NOTIFIED)
def _notification(review: Review, day: date) -> list[Line]:
    return [
        *_emails(review, day, Stage.NOTIFIED),
        Line(
            "The area then sees",
            "The review's dates and what it asks of the area, on its own pages; the DCS and "
            "the area's partners can sign in to it.",
        ),
        Line("Cannot be undone", "A notification once sent cannot be called back."),
    ]


@on_confirming(Stage.DRAFT_SENT)
def _draft(review: Review, day: date) -> list[Line]:
    close = review.milestones.filter(kind=MilestoneKind.COMMENTS_CLOSE).first()
    return [
        *_emails(review, day, Stage.DRAFT_SENT),
        Line(
            "Comments on accuracy",
            "The DCS and the area's partners can comment on the draft"
            + (f" until {close.planned:%-d %B %Y}" if close else "")
            + ".",
        ),
    ]


@on_confirming(Stage.COMMENTS_CLOSED)
def _close(review: Review, day: date) -> list[Line]:
    said = NoMoreComments.objects.filter(review=review).select_related("said_by").first()
    lines = [
        Line(
            "Comments close",
            "The area can no longer comment on the draft's accuracy; the report goes on to the "
            "findings meeting.",
        )
    ]
    if said is not None:
        lines.append(
            Line(
                "The area said",
                f"“We have no more comments” ({said.said_by or 'someone'}, "
                f"{said.said_at:%-d %B %Y})",
            )
        )
    return lines


__all__ = ["Confirmation", "confirmation_for"]
