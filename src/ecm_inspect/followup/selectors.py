"""Reads of follow-up for people's start pages, each asking the policy."""

from datetime import date
from typing import Any

from django.template.defaultfilters import pluralize
from django.urls import reverse

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.rules import passed_second_factor
from ecm_inspect.core.work import WorkItem, work_item
from ecm_inspect.reports.models import Publication
from ecm_inspect.reviews.models import Review, Stage, TeamRole

from .models import Action, StatementOfAction, StatementStatus
from .services import overdue_actions, partner_body_of, statement_due, statements_overdue

PUBLISHED = (Stage.PUBLISHED, Stage.FOLLOW_UP)


def _may_open(user: Any, review: Review, perm: str, seen: dict[tuple[int, str], bool]) -> bool:
    """The follow-up page's own check (the review, then its actions), and `perm` for what the
    item asks the person to do there; asked once per review and permission (`seen`)."""
    key = (review.pk, perm)
    if key not in seen:
        seen[key] = bool(
            user.has_perm("reviews.view_review", review)
            and user.has_perm("followup.view_actions", review)
            and user.has_perm(perm, review)
        )
    return seen[key]


def statement_work_for_user(*, user: Any, today: date) -> list[WorkItem]:
    """Follow-up that is `user`'s work, each linking to the review's follow-up page:

    - for the area's DCS and partner contributors, the statement of proposed action while it is
      with the area (due by the date the regulations allow), and the actions still open that
      their body owns (partners) or that are past their deadline (the DCS), due on their
      deadline (`followup.write_statement`, `followup.report_progress`);
    - for a review's team leader, a statement submitted and waiting for their decision
      (`followup.decide_statement`)."""
    if not passed_second_factor(user):
        return []
    items: list[WorkItem] = []
    seen: dict[tuple[int, str], bool] = {}
    if user.role in {Role.DCS, Role.PARTNER_CONTRIBUTOR}:
        reviews = Review.objects.filter(area_id=user.area_id, stage__in=PUBLISHED).select_related(
            "area"
        )
        publications = {p.review_id: p for p in Publication.objects.filter(review__in=reviews)}
        statements = {s.review_id: s for s in StatementOfAction.objects.filter(review__in=reviews)}
        for review in reviews:
            publication = publications.get(review.pk)
            if publication is None or not _may_open(user, review, "followup.write_statement", seen):
                continue
            statement = statements.get(review.pk)
            if statement is not None and not statement.with_the_area:
                continue
            sent_back = statement is not None and statement.status == StatementStatus.SENT_BACK
            submits = user.has_perm("followup.submit_statement", review)
            items.append(
                work_item(
                    "Statement of proposed action",
                    ("Write and submit" if submits else "Add your actions to")
                    + f" the statement of proposed action for {review.area.name}",
                    reverse("followup:actions", args=[review.pk]),
                    today=today,
                    due=statement.due_on if statement else statement_due(publication),
                    detail="Sent back by the lead inspectorate: see its reasons."
                    if sent_back
                    else f"On the report published on {publication.published_on:%-d %B %Y}.",
                )
            )
        actions = Action.objects.filter(
            review__in=reviews,
            done_on__isnull=True,
            review__statement__status=StatementStatus.ACCEPTED,
        ).select_related("review__area")
        body = partner_body_of(user)
        if body:
            actions = actions.filter(owner_body__icontains=body)
        else:
            actions = actions.filter(deadline__lt=today)
        for action in actions.order_by("deadline", "pk"):
            if not _may_open(user, action.review, "followup.report_progress", seen):
                continue
            items.append(
                work_item(
                    "Actions to report on",
                    f"Report progress: {action.text[:120]}",
                    reverse("followup:actions", args=[action.review.pk]),
                    today=today,
                    due=action.deadline,
                    detail=f"Owner: {action.owner_body}.",
                )
            )
        return items
    waiting = StatementOfAction.objects.filter(
        status=StatementStatus.SUBMITTED,
        review__team__inspector__user=user,
        review__team__role=TeamRole.LEADER,
    ).select_related("review__area")
    for statement in waiting:
        review = statement.review
        if not _may_open(user, review, "followup.decide_statement", seen):
            continue
        items.append(
            work_item(
                "Statements to decide",
                f"Find the statement of proposed action for {review.area.name} adequate, or "
                "send it back",
                reverse("followup:actions", args=[review.pk]),
                today=today,
                detail=f"Submitted on {statement.submitted_on:%-d %B %Y}."
                if statement.submitted_on
                else "",
            )
        )
    return items


def overdue_follow_up_work(*, user: Any, today: date) -> list[WorkItem]:
    """For the national and inspectorate leads (`followup.view_overview`): the statements of
    action and the actions past their date, as one item each on the follow-up overview."""
    if not user.has_perm("followup.view_overview"):
        return []
    href = reverse("followup:overview")
    statements = statements_overdue(today=today)
    actions = overdue_actions(today=today)
    items = (
        [
            work_item(
                "Overdue follow-up",
                f"{len(statements)} statement{pluralize(len(statements))} of proposed action "
                "past due",
                href,
                today=today,
                due=min(s.statement.due_on for s in statements),
                detail=", ".join(sorted({s.statement.review.area.name for s in statements})) + ".",
            )
        ]
        if statements
        else []
    )
    if actions:
        items.append(
            work_item(
                "Overdue follow-up",
                f"{len(actions)} action{pluralize(len(actions))} past "
                + ("its" if len(actions) == 1 else "their")
                + " deadline",
                href,
                today=today,
                due=min(o.action.deadline for o in actions),
                detail=", ".join(sorted({o.action.review.area.name for o in actions})) + ".",
            )
        )
    if not items:
        items.append(
            work_item(
                "Overdue follow-up",
                "Nothing is overdue: see the follow-up of every review",
                href,
                today=today,
                is_task=False,
            )
        )
    return items
