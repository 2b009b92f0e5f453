"""Evaluation of inspection and complaints about it.

Principle (8) of the 2005 Framework: inspection is evaluated by those inspected, children
included, on the process (clear arrangements, efficiency and burden, children's views
incorporated, inspectors' integrity, objectivity and courtesy, clear and well-founded reports)
and later on the benefits (improvement, joint working, outcomes, national policy); complaints
are handled "fairly and promptly".

Complaint deadlines, in working days (England and Wales bank holidays): acknowledged within
ACKNOWLEDGE_DAYS of receipt, decided within DECIDE_DAYS. The investigator must be independent
of the inspection: never a member of the review's team, nor the person complained of.
"""

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.core.calendar import add_working_days, next_working_day
from ecm_inspect.core.concurrency import record_update
from ecm_inspect.registry.models import Inspectorate
from ecm_inspect.reviews.models import Review

from .models import (
    Complaint,
    ComplaintStatus,
    EvaluationStage,
    Outcome,
    Questionnaire,
    QuestionnaireAnswer,
    Respondent,
)

ACKNOWLEDGE_DAYS = 3
DECIDE_DAYS = 20
ANSWER_WEEKS = 4

# The criteria of principle (8), as statements answered on a four-point agreement scale, with
# a child-friendly wording of each.
PROCESS_CRITERIA = {
    "arrangements": (
        "The arrangements for the inspection were clear.",
        "We knew what was going to happen and when.",
    ),
    "burden": (
        "The inspection was efficient and kept the burden on us low.",
        "The inspection did not take up too much of our time.",
    ),
    "childrens_views": (
        "Children's and young people's views were taken into account.",
        "The inspectors listened to what children and young people said.",
    ),
    "conduct": (
        "The inspectors acted with integrity, objectivity and courtesy.",
        "The inspectors were fair and polite.",
    ),
    "report": (
        "The report was clear and its judgements well founded.",
        "The report was easy to understand and said true things.",
    ),
}
BENEFIT_CRITERIA = {
    "improvement": (
        "The inspection helped services improve.",
        "Things got better after the inspection.",
    ),
    "joint_working": (
        "The inspection helped services work together.",
        "Services work together better now.",
    ),
    "outcomes": (
        "The inspection led to better outcomes for children and young people.",
        "Life is better for children and young people here.",
    ),
    "national_policy": (
        "The inspection's findings informed national policy.",
        "What the inspectors found helped people who make the rules.",
    ),
}
AGREEMENT = {4: "Strongly agree", 3: "Agree", 2: "Disagree", 1: "Strongly disagree"}


class QualityRefused(Exception):
    pass


def criteria_for(stage: str) -> dict[str, tuple[str, str]]:
    return PROCESS_CRITERIA if stage == EvaluationStage.PROCESS else BENEFIT_CRITERIA


# -- evaluation ---------------------------------------------------------------------------


def questionnaire_send(
    *,
    inspectorate: Inspectorate,
    inspection_label: str,
    respondent: str,
    stage: str,
    review: Review | None = None,
    today: date | None = None,
) -> Questionnaire:
    """A questionnaire with an unguessable link, open for ANSWER_WEEKS."""
    if respondent not in Respondent.values or stage not in EvaluationStage.values:
        raise QualityRefused("Unknown respondent or stage.")
    sent = today or timezone.localdate()
    from datetime import timedelta

    return Questionnaire.objects.create(
        inspectorate=inspectorate,
        review=review,
        inspection_label=inspection_label,
        respondent=respondent,
        stage=stage,
        token=secrets.token_urlsafe(24),
        sent_on=sent,
        closes_on=sent + timedelta(weeks=ANSWER_WEEKS),
    )


def questionnaire_answer(
    *,
    questionnaire: Questionnaire,
    scores: dict[str, int],
    comment: str = "",
    today: date | None = None,
) -> QuestionnaireAnswer:
    """Store one set of answers (the date only). Every criterion must be answered 1-4."""
    day = today or timezone.localdate()
    if day > questionnaire.closes_on:
        raise QualityRefused("This questionnaire has closed.")
    expected = set(criteria_for(questionnaire.stage))
    missing = sorted(expected - set(scores))
    if missing:
        raise QualityRefused(f"Answer every statement (missing: {', '.join(missing)}).")
    bad = [k for k, v in scores.items() if k not in expected or v not in AGREEMENT]
    if bad:
        raise QualityRefused(f"Not an answer: {', '.join(sorted(bad))}.")
    return QuestionnaireAnswer.objects.create(
        questionnaire=questionnaire, scores=scores, comment=comment.strip(), answered_on=day
    )


@dataclass(frozen=True)
class SummaryRow:
    inspectorate: str
    year: int
    stage: str
    answers: int
    means: dict[str, float]


def evaluation_summary() -> list[SummaryRow]:
    """Mean agreement per criterion, per inspectorate, stage and year."""
    groups: dict[tuple[str, int, str], list[dict[str, int]]] = defaultdict(list)
    answers = QuestionnaireAnswer.objects.select_related("questionnaire__inspectorate")
    for a in answers:
        q = a.questionnaire
        groups[(q.inspectorate.short_name, a.answered_on.year, q.stage)].append(a.scores)
    rows = []
    for (body, year, stage), scores in sorted(groups.items()):
        means = {
            criterion: round(sum(s[criterion] for s in scores) / len(scores), 2)
            for criterion in criteria_for(stage)
        }
        rows.append(SummaryRow(body, year, stage, len(scores), means))
    return rows


# -- complaints ---------------------------------------------------------------------------


@transaction.atomic
def complaint_receive(
    *,
    name: str,
    email: str,
    inspectorate: Inspectorate,
    about: str,
    description: str,
    review: Review | None = None,
    today: date | None = None,
) -> Complaint:
    """Receive a complaint (anyone may make one, without an account) and set its deadlines."""
    problems = [
        label
        for label, value in (
            ("your name", name),
            ("what inspection it is about", about),
            ("what the complaint is", description),
        )
        if not value.strip()
    ]
    if problems:
        raise QualityRefused("Tell us " + ", ".join(problems) + ".")
    received = today or timezone.localdate()
    start = next_working_day(received)
    year = received.year
    count = Complaint.objects.filter(received_on__year=year).count() + 1
    complaint = Complaint(
        reference=f"C{year}-{count:04d}",
        received_on=received,
        name=name.strip(),
        email=email.strip(),
        inspectorate=inspectorate,
        review=review,
        about=about.strip(),
        description=description.strip(),
        acknowledge_by=add_working_days(start, ACKNOWLEDGE_DAYS),
        decide_by=add_working_days(start, DECIDE_DAYS),
    )
    complaint.save()
    return complaint


def complaint_acknowledge(*, complaint: Complaint, by: Any, today: date | None = None) -> Complaint:
    if complaint.status != ComplaintStatus.RECEIVED:
        raise QualityRefused("This complaint has already been acknowledged.")
    return record_update(
        record=complaint,
        seen_version=complaint.version,
        by=by,
        changes={
            "status": ComplaintStatus.ACKNOWLEDGED,
            "acknowledged_on": today or timezone.localdate(),
        },
    )


def is_independent(complaint: Complaint, investigator: Any) -> str | None:
    """Why `investigator` is not independent of the inspection complained about, or None."""
    review = complaint.review
    if review is not None and review.team.filter(inspector__user=investigator).exists():
        return f"{investigator} is on the team of the {review}."
    if investigator.full_name and investigator.full_name.lower() in complaint.description.lower():
        return f"The complaint names {investigator.full_name}."
    return None


def complaint_assign(*, complaint: Complaint, investigator: Any, by: Any) -> Complaint:
    if complaint.status not in {ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.ASSIGNED}:
        raise QualityRefused("Acknowledge the complaint before assigning it.")
    reason = is_independent(complaint, investigator)
    if reason:
        raise QualityRefused(f"Not independent of the inspection: {reason}")
    return record_update(
        record=complaint,
        seen_version=complaint.version,
        by=by,
        changes={"status": ComplaintStatus.ASSIGNED, "investigator": investigator},
    )


def complaint_decide(
    *,
    complaint: Complaint,
    outcome: str,
    reasons: str,
    report_change: str = "",
    by: Any,
    today: date | None = None,
) -> Complaint:
    if complaint.status != ComplaintStatus.ASSIGNED:
        raise QualityRefused("Only a complaint with an investigator can be decided.")
    if outcome not in Outcome.values or not reasons.strip():
        raise QualityRefused("Record the outcome and its reasons.")
    return record_update(
        record=complaint,
        seen_version=complaint.version,
        by=by,
        changes={
            "status": ComplaintStatus.DECIDED,
            "outcome": outcome,
            "outcome_reasons": reasons.strip(),
            "report_changed": bool(report_change.strip()),
            "report_change": report_change.strip(),
            "decided_on": today or timezone.localdate(),
        },
    )


@dataclass(frozen=True)
class Due:
    complaint: Complaint
    step: str
    due: date
    overdue: bool


def complaints_due(*, today: date | None = None) -> list[Due]:
    """The next deadline of every open complaint, overdue ones flagged, soonest first."""
    day = today or timezone.localdate()
    out = []
    for c in Complaint.objects.exclude(status=ComplaintStatus.DECIDED).select_related(
        "inspectorate"
    ):
        step, due = (
            ("acknowledge", c.acknowledge_by)
            if c.status == ComplaintStatus.RECEIVED
            else ("decide", c.decide_by)
        )
        out.append(Due(c, step, due, due < day))
    return sorted(out, key=lambda d: d.due)
