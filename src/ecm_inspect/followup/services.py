"""Statements of proposed action, progress, overdue alerts and intervention cases.

Deadlines follow each recommendation's priority (FOLLOW_UP_MONTHS, settings): immediately -> 3
months, within six months -> 6, in the longer term -> 18, from the publication date; the
statement itself is due within ECM_STATEMENT_DAYS working days of publication (default 50,
"the period the regulations allow", configurable).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ecm_inspect.registry.models import Inspectorate
from ecm_inspect.reports.models import Publication, Recommendation, ReviewJudgement
from ecm_inspect.reviews.models import Review
from ecm_inspect.reviews.timetable import add_working_days

from .models import Action, InterventionCase, Progress

COUNCIL_WORDS = ("council", "children's services", "local authority")
# Which inspectorate monitors another agency's actions, by words in the body's name.
MONITORS = (
    ("primary care trust", "HEALTHCARE_COMMISSION"),
    ("health", "HEALTHCARE_COMMISSION"),
    ("police", "HMIC"),
    ("probation", "HMI_PROBATION"),
    ("youth offending", "HMI_PROBATION"),
    ("college", "ALI"),
    ("learning and skills", "ALI"),
)


class FollowUpRefused(Exception):
    pass


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where that day does not exist)."""
    import calendar

    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def statement_due(publication: Publication) -> date:
    return add_working_days(publication.published_on, settings.ECM_STATEMENT_DAYS)


def _monitor(body: str) -> Inspectorate | None:
    lowered = body.lower()
    for words, code in MONITORS:
        if words in lowered:
            return Inspectorate.objects.filter(code=code).first()
    return None


@transaction.atomic
def statement_make(*, review: Review, by: Any = None) -> list[Action]:
    """The statement of proposed action: an action per recommendation, owned by its body, with
    a deadline from its priority; council education and social care actions are followed up
    in the next APA, others monitored by the inspectorate concerned. Idempotent."""
    publication = Publication.objects.filter(review=review).first()
    if publication is None:
        raise FollowUpRefused("The report is not published yet.")
    months = settings.ECM_FOLLOW_UP_MONTHS
    out = []
    for rec in Recommendation.objects.filter(review=review):
        action = Action.objects.filter(review=review, recommendation=rec).first()
        if action is None:
            council = any(w in rec.body.lower() for w in COUNCIL_WORDS)
            action = Action(
                review=review,
                recommendation=rec,
                text=rec.text,
                owner_body=rec.body,
                council_function=council,
                monitored_by=None if council else _monitor(rec.body),
                deadline=add_months(publication.published_on, months[rec.priority]),
            )
            action._history_user = by  # type: ignore[attr-defined]
            action.save()
        out.append(action)
    intervention_check(review=review)
    return out


def progress_add(
    *, action: Action, text: str, done: bool = False, by: Any = None, on: date | None = None
) -> Progress:
    if not text.strip():
        raise FollowUpRefused("Say what progress has been made.")
    day = on or timezone.localdate()
    progress = Progress.objects.create(action=action, on=day, text=text.strip(), by=by)
    if done and action.done_on is None:
        action.done_on = day
        action._history_user = by  # type: ignore[attr-defined]
        action.save(update_fields=["done_on"])
    return progress


@dataclass(frozen=True)
class Overdue:
    action: Action
    days: int


def overdue_actions(*, today: date | None = None) -> list[Overdue]:
    """Actions past their deadline and not done: the alerts of follow-up."""
    day = today or timezone.localdate()
    rows = Action.objects.filter(done_on__isnull=True, deadline__lt=day).select_related(
        "review__area"
    )
    return [Overdue(a, (day - a.deadline).days) for a in rows]


def intervention_check(*, review: Review) -> InterventionCase | None:
    """Open an intervention case when the review finds council education or children's social
    care inadequate: staying safe, enjoying and achieving or service management graded 1."""
    weak = [
        j.title
        for j in ReviewJudgement.objects.filter(review=review, code__in=["SS", "EA", "SM"], grade=1)
    ]
    if not weak:
        return None
    case, _ = InterventionCase.objects.get_or_create(
        review=review,
        defaults={
            "reason": "Found inadequate: " + ", ".join(weak) + ".",
            "opened_on": timezone.localdate(),
        },
    )
    return case


def apa_follow_up_lines(area: Any, year: int) -> list[str]:
    """What the APA says of the last review's council actions."""
    actions = Action.objects.filter(
        review__area=area,
        council_function=True,
        review__publication__published_on__year__lt=year + 1,
    )
    if not actions.exists():
        return []
    done = actions.filter(done_on__isnull=False, done_on__year__lte=year).count()
    late = actions.filter(done_on__isnull=True, deadline__year__lte=year).count()
    return [
        f"Follow-up of the joint area review: {done} of {actions.count()} council actions done"
        + (f", {late} overdue." if late else ".")
    ]
