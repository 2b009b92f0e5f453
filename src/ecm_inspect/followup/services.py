"""Statements of proposed action (written by the area, decided by the lead inspectorate),
progress and monitoring, overdue alerts and intervention cases.

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
from django.db.models import Q
from django.utils import timezone

from ecm_inspect.accounts.models import Role
from ecm_inspect.core.calendar import add_working_days
from ecm_inspect.registry.models import Inspectorate
from ecm_inspect.reports.models import Publication, Recommendation, ReviewJudgement
from ecm_inspect.reviews.models import Review

from .models import (
    Action,
    CaseStatus,
    InterventionCase,
    Progress,
    Service,
    StatementOfAction,
    StatementStatus,
)

# Who monitors an action, by the service it is for (2004 proposals, "Following up findings":
# council education and social care are followed up in the next APA; "other agencies' actions
# ... by the inspectorate concerned"). The partnership as a whole: the lead inspectorate.
SERVICE_MONITORS: dict[str, str] = {
    Service.COUNCIL_EDUCATION: "OFSTED",
    Service.COUNCIL_SOCIAL_CARE: "CSCI",
    Service.HEALTH: "HEALTHCARE_COMMISSION",
    Service.POLICE: "HMIC",
    Service.YOUTH_JUSTICE: "HMI_PROBATION",
    Service.LEARNING_AND_SKILLS: "ALI",
    Service.PARTNERSHIP: "OFSTED",
}
COUNCIL_SERVICES = (Service.COUNCIL_EDUCATION, Service.COUNCIL_SOCIAL_CARE)
# A statement sent back is due again this many working days later.
RESUBMIT_WORKING_DAYS = 10
CHANGED = "Someone else changed this since you opened it: reload the page to see their changes."


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


def _check_version(seen: int | None, current: int) -> None:
    if seen is not None and seen != current:
        raise FollowUpRefused(CHANGED)


def statement_get(*, review: Review) -> StatementOfAction:
    """The review's statement of proposed action, started (empty, with its due date) the first
    time the area opens it after publication."""
    publication = Publication.objects.filter(review=review).first()
    if publication is None:
        raise FollowUpRefused("The report is not published yet.")
    statement, _ = StatementOfAction.objects.get_or_create(
        review=review, defaults={"due_on": statement_due(publication)}
    )
    return statement


def _with_the_area(statement: StatementOfAction) -> None:
    if not statement.with_the_area:
        raise FollowUpRefused(
            f"The statement is {statement.get_status_display().lower()}: it can no longer be "
            "changed by the area."
        )


def partner_body_of(user: Any) -> str:
    """The partner body a partner contributor writes for ("" for anyone else)."""
    if getattr(user, "role", "") != Role.PARTNER_CONTRIBUTOR:
        return ""
    organisation = getattr(user, "organisation", None)
    partner = getattr(organisation, "partner", None) if organisation else None
    return partner.name if partner else ""


@transaction.atomic
def action_write(
    *,
    statement: StatementOfAction,
    recommendation: Recommendation,
    text: str,
    owner_body: str,
    service: str,
    deadline: date,
    milestones: str = "",
    by: Any = None,
) -> Action:
    """An action the area commits to against one recommendation, in its own words."""
    statement = StatementOfAction.objects.select_for_update().get(pk=statement.pk)
    _with_the_area(statement)
    if recommendation.review_id != statement.review_id:
        raise FollowUpRefused("Recommendation: that is not a recommendation of this report.")
    if not text.strip():
        raise FollowUpRefused("Action: say what will be done.")
    if not owner_body.strip():
        raise FollowUpRefused("Owner: say which body owns the action.")
    own_body = partner_body_of(by)
    if own_body and own_body.lower() not in owner_body.lower():
        raise FollowUpRefused(
            f"Owner: as a partner contributor you write actions for {own_body} only; "
            "name it as the owner."
        )
    if service not in Service.values:
        raise FollowUpRefused("Service: choose the service the action is for.")
    published = Publication.objects.get(review_id=statement.review_id).published_on
    if deadline <= published:
        raise FollowUpRefused(
            f"Deadline: give a date after the report's publication ({published:%-d %B %Y})."
        )
    action = Action(
        review_id=statement.review_id,
        recommendation=recommendation,
        text=text.strip(),
        owner_body=owner_body.strip(),
        service=service,
        milestones=milestones.strip(),
        council_function=service in COUNCIL_SERVICES,
        monitored_by=Inspectorate.objects.filter(code=SERVICE_MONITORS[service]).first(),
        deadline=deadline,
        written_by=by if getattr(by, "pk", None) else None,
    )
    action._history_user = by  # type: ignore[attr-defined]
    action.save()
    StatementOfAction.objects.filter(pk=statement.pk).update(version=statement.version + 1)
    return action


@transaction.atomic
def action_remove(*, statement: StatementOfAction, action: Action, by: Any = None) -> None:
    statement = StatementOfAction.objects.select_for_update().get(pk=statement.pk)
    _with_the_area(statement)
    if action.review_id != statement.review_id:
        raise FollowUpRefused("That action is not in this statement.")
    action._history_user = by  # type: ignore[attr-defined]
    action.delete()
    StatementOfAction.objects.filter(pk=statement.pk).update(version=statement.version + 1)


@transaction.atomic
def statement_submit(
    *,
    statement: StatementOfAction,
    by: Any = None,
    seen_version: int | None = None,
    today: date | None = None,
) -> StatementOfAction:
    """The DCS submits the statement to the lead inspectorate: every recommendation needs an
    action; a submission after the due date is recorded as late."""
    statement = StatementOfAction.objects.select_for_update().get(pk=statement.pk)
    _check_version(seen_version, statement.version)
    _with_the_area(statement)
    missing = [
        rec.text
        for rec in Recommendation.objects.filter(review_id=statement.review_id)
        if not rec.actions.exists()
    ]
    if missing:
        raise FollowUpRefused(
            "Every recommendation needs at least one action; none yet for: "
            + "; ".join(m[:80] for m in missing)
            + "."
        )
    statement.status = StatementStatus.SUBMITTED
    statement.submitted_on = today or timezone.localdate()
    statement.submitted_by = by if getattr(by, "pk", None) else None
    statement.submissions += 1
    statement.version += 1
    statement._history_user = by  # type: ignore[attr-defined]
    statement.save()
    return statement


@transaction.atomic
def statement_decide(
    *,
    statement: StatementOfAction,
    adequate: bool,
    reasons: str,
    by: Any = None,
    seen_version: int | None = None,
    today: date | None = None,
) -> StatementOfAction:
    """The lead inspectorate finds the submitted statement adequate (accepted: its actions are
    monitored from now) or not (sent back to the area, due again in RESUBMIT_WORKING_DAYS)."""
    statement = StatementOfAction.objects.select_for_update().get(pk=statement.pk)
    _check_version(seen_version, statement.version)
    if statement.status != StatementStatus.SUBMITTED:
        raise FollowUpRefused("Only a submitted statement can be found adequate or sent back.")
    if not reasons.strip():
        raise FollowUpRefused("Reasons: say why the statement is or is not adequate.")
    day = today or timezone.localdate()
    statement.status = StatementStatus.ACCEPTED if adequate else StatementStatus.SENT_BACK
    statement.decided_on = day
    statement.decided_by = by if getattr(by, "pk", None) else None
    statement.decision_reasons = reasons.strip()
    if not adequate:
        statement.due_on = add_working_days(day, RESUBMIT_WORKING_DAYS)
    statement.version += 1
    statement._history_user = by  # type: ignore[attr-defined]
    statement.save()
    return statement


@dataclass(frozen=True)
class LateStatement:
    statement: StatementOfAction
    days: int


def statements_overdue(*, today: date | None = None) -> list[LateStatement]:
    """Statements still with the area after their due date: escalated to the national lead."""
    day = today or timezone.localdate()
    rows = StatementOfAction.objects.filter(
        status__in=[StatementStatus.DRAFT, StatementStatus.SENT_BACK], due_on__lt=day
    ).select_related("review__area")
    return [LateStatement(s, (day - s.due_on).days) for s in rows]


def progress_add(
    *,
    action: Action,
    text: str,
    done: bool = False,
    by: Any = None,
    on: date | None = None,
    visit: bool = False,
) -> Progress:
    """The area's report of progress on an action (`done` when it is complete), or the
    monitoring inspectorate's note of a visit (`visit`)."""
    if not text.strip():
        raise FollowUpRefused(
            "Say what the monitoring visit found." if visit else "Say what progress has been made."
        )
    statement = StatementOfAction.objects.filter(review_id=action.review_id).first()
    if not visit and (statement is None or statement.status != StatementStatus.ACCEPTED):
        raise FollowUpRefused(
            "Progress is reported once the lead inspectorate has accepted the statement of "
            "proposed action; until then, change the action in the statement."
        )
    day = on or timezone.localdate()
    progress = Progress.objects.create(action=action, on=day, text=text.strip(), by=by, visit=visit)
    if visit:
        return progress
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
    rows = Action.objects.filter(
        done_on__isnull=True, deadline__lt=day, review__statement__status=StatementStatus.ACCEPTED
    ).select_related("review__area")
    return [Overdue(a, (day - a.deadline).days) for a in rows]


COUNCIL_FUNCTION_CODES = ("SS", "EA", "SM")


def intervention_check(*, review: Review) -> InterventionCase | None:
    """Open an intervention case when the review finds the council's own education or
    children's social care functions inadequate: staying safe, enjoying and achieving or
    service management graded 1 for the council's services (the council grade, kept apart from
    the grade for all local services; where the review gave none, the outcome's grade). The
    case keeps the finding that opened it."""
    weak: list[dict[str, Any]] = []
    for judgement in ReviewJudgement.objects.filter(
        review=review, code__in=COUNCIL_FUNCTION_CODES
    ).order_by("pk"):
        grade = judgement.council_grade or judgement.grade
        if grade == 1:
            weak.append({"code": judgement.code, "title": judgement.title, "grade": grade})
    if not weak:
        return None
    case, _ = InterventionCase.objects.get_or_create(
        review=review,
        defaults={
            "reason": "Council functions found inadequate: "
            + ", ".join(str(w["title"]) for w in weak)
            + ".",
            "finding": weak,
            "opened_on": timezone.localdate(),
        },
    )
    return case


# Each step of a case: from which status, to which, the field it fills and what it needs.
CASE_STEPS = {
    "refer": (CaseStatus.OPEN, CaseStatus.REFERRED, "referred_on", "referral_note"),
    "decide": (CaseStatus.REFERRED, CaseStatus.DECIDED, "decided_on", "decision"),
    "close": (CaseStatus.DECIDED, CaseStatus.CLOSED, "closed_on", "closing_reason"),
}
# A case's state and each step, as words in a sentence ("The case is open: it can be decided
# by the Department only once it is referred to the Department.").
CASE_STATE_WORDS = {
    CaseStatus.OPEN: "open",
    CaseStatus.REFERRED: "referred to the Department",
    CaseStatus.DECIDED: "decided by the Department",
    CaseStatus.CLOSED: "closed",
}
CASE_STEP_WORDS = {"refer": "referred to the Department", "decide": "decided by the Department",
                   "close": "closed"}  # fmt: skip
CASE_NEEDS = {
    "refer": "Note: say what is referred to the Department and why.",
    "decide": "Decision: record what the Department decided.",
    "close": "Reason: say why the case is closed.",
}


@transaction.atomic
def case_step(
    *,
    case: InterventionCase,
    step: str,
    text: str,
    by: Any = None,
    seen_version: int | None = None,
    on: date | None = None,
) -> InterventionCase:
    """Move an intervention case on one step: referred to the Department (with a note), the
    Department's decision recorded, closed (with the reason); each only from the step
    before."""
    if step not in CASE_STEPS:
        raise FollowUpRefused(f"There is no step {step!r} in an intervention case.")
    case = InterventionCase.objects.select_for_update().get(pk=case.pk)
    _check_version(seen_version, case.version)
    before, after, day_field, text_field = CASE_STEPS[step]
    if case.status != before:
        raise FollowUpRefused(
            f"The case is {CASE_STATE_WORDS[CaseStatus(case.status)]}: it can be "
            f"{CASE_STEP_WORDS[step]} only once it is {CASE_STATE_WORDS[before]}."
        )
    if not text.strip():
        raise FollowUpRefused(CASE_NEEDS[step])
    setattr(case, day_field, on or timezone.localdate())
    setattr(case, text_field, text.strip())
    case.status = after
    case.version += 1
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
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
    # Overdue as the year ended: due by then and not done by then (done later or not yet), so
    # the year's figure does not change when an action is done afterwards.
    late = actions.filter(
        Q(done_on__isnull=True) | Q(done_on__year__gt=year), deadline__year__lte=year
    ).count()
    return [
        f"Follow-up of the joint area review: {done} of {actions.count()} council actions done"
        + (f", {late} overdue." if late else ".")
    ]
