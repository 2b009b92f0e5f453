"""Follow-up pages: a review's statement of proposed action (written and submitted by the area,
found adequate or sent back by the lead inspectorate) with progress and monitoring visits, the
national lead's overview of overdue statements, overdue actions and intervention cases, and
each intervention case."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.accounts.models import Role
from ecm_inspect.core.forms import form_errors
from ecm_inspect.core.inputs import whole_number
from ecm_inspect.reports.models import Recommendation
from ecm_inspect.reviews.selectors import review_get_for_user

from .forms import ActionForm
from .models import Action, InterventionCase, StatementStatus
from .services import (
    CASE_STEPS,
    FollowUpRefused,
    action_remove,
    action_write,
    add_months,
    case_step,
    overdue_actions,
    partner_body_of,
    progress_add,
    statement_decide,
    statement_get,
    statement_submit,
    statements_overdue,
)

CONFIRM = "Confirm that you want to do this: tick the box."


def _seen(request: HttpRequest) -> int | None:
    return whole_number(request.POST.get("version"))


def _trail(record: Any) -> Any:
    """Every saved state of a statement or case, oldest first, with who saved it."""
    return record.history.select_related("history_user").order_by("history_date")


def _action_posted(request: HttpRequest, review: Any) -> Action:
    """The review's action the form names (`item`), or 404."""
    number = whole_number(request.POST.get("item"))
    found = Action.objects.filter(review=review, pk=number or 0).first()
    if found is None:
        raise Http404("No such action.")
    return found


def _need(user: Any, perm: str, obj: Any = None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _statement_post(request: HttpRequest, review: Any, statement: Any) -> str:
    """Carry out the posted step on the statement; what was done, for the message."""
    user: Any = request.user
    do = request.POST.get("do", "")
    if do == "write":
        _need(user, "followup.write_statement", review)
        form = ActionForm(request.POST)
        if not form.is_valid():
            raise FollowUpRefused(" ".join(form_errors(form)))
        data = form.cleaned_data
        rec = Recommendation.objects.filter(review=review, pk=data["recommendation"]).first()
        if rec is None:
            raise FollowUpRefused("Recommendation: choose a recommendation of this report.")
        action_write(
            statement=statement,
            recommendation=rec,
            text=data["text"],
            owner_body=data["owner_body"],
            service=data["service"],
            deadline=data["deadline"],
            milestones=data["milestones"],
            by=user,
        )
        return "Action added to the statement."
    if do == "remove":
        _need(user, "followup.write_statement", review)
        found = _action_posted(request, review)
        if user.role != Role.DCS and found.written_by_id != user.pk:
            raise FollowUpRefused("Only the DCS or the action's author can remove it.")
        action_remove(statement=statement, action=found, by=user)
        return "Action removed."
    if do == "submit":
        _need(user, "followup.submit_statement", review)
        if request.POST.get("confirm") != "yes":
            raise FollowUpRefused(CONFIRM)
        statement_submit(statement=statement, by=user, seen_version=_seen(request))
        return "Statement submitted to the lead inspectorate."
    if do == "decide":
        _need(user, "followup.decide_statement", review)
        verdict = request.POST.get("adequate", "")
        if verdict not in ("yes", "no"):
            raise FollowUpRefused("Adequate: say whether the statement is adequate.")
        statement_decide(
            statement=statement,
            adequate=verdict == "yes",
            reasons=request.POST.get("reasons", ""),
            by=user,
            seen_version=_seen(request),
        )
        return "Statement accepted." if verdict == "yes" else "Statement sent back to the area."
    if do in ("progress", "visit"):
        perm = "followup.report_progress" if do == "progress" else "followup.record_visit"
        _need(user, perm, review)
        found = _action_posted(request, review)
        progress_add(
            action=found,
            text=request.POST.get("text", ""),
            done=do == "progress" and request.POST.get("done") == "on",
            visit=do == "visit",
            by=user,
        )
        return "Monitoring visit recorded." if do == "visit" else "Progress reported."
    raise FollowUpRefused("Choose what to do.")


@staff_required
@require_http_methods(["GET", "POST"])
def actions(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_get_for_user(user=request.user, review_id=review_id)
    user: Any = request.user
    _need(user, "followup.view_actions", review)
    error = ""
    try:
        statement = statement_get(review=review)
    except FollowUpRefused as exc:
        return render(
            request, "followup/actions.html", {"review": review, "not_yet": str(exc)}, status=200
        )
    if request.method == "POST":
        try:
            done = _statement_post(request, review, statement)
        except FollowUpRefused as exc:
            # Shown as an error at the top and beside the form, with what was typed kept.
            error = str(exc)
        else:
            messages.success(request, done)
            return redirect("followup:actions", review.pk)
        statement.refresh_from_db()
    overdue = {o.action.pk: o.days for o in overdue_actions()}
    recommendations = list(
        Recommendation.objects.filter(review=review).prefetch_related(
            "actions__progress", "actions__monitored_by"
        )
    )
    published = review.publication.published_on
    months = settings.ECM_FOLLOW_UP_MONTHS
    for rec in recommendations:
        rec.expected_by = add_months(published, months.get(rec.priority, 6))  # type: ignore[attr-defined]
        for item in rec.actions.all():
            item.late_days = overdue.get(item.pk)  # type: ignore[attr-defined]
    can_write = user.has_perm("followup.write_statement", review) and statement.with_the_area
    return render(
        request,
        "followup/actions.html",
        {
            "review": review,
            "statement": statement,
            "recommendations": recommendations,
            "today": timezone.localdate(),
            "trail": _trail(statement),
            "can_write": can_write,
            "can_submit": user.has_perm("followup.submit_statement", review)
            and statement.with_the_area,
            "can_decide": user.has_perm("followup.decide_statement", review)
            and statement.status == StatementStatus.SUBMITTED,
            "can_report": user.has_perm("followup.report_progress", review)
            and statement.status == StatementStatus.ACCEPTED,
            "can_visit": user.has_perm("followup.record_visit", review)
            and statement.status == StatementStatus.ACCEPTED,
            "intervention": InterventionCase.objects.filter(review=review).first(),
            "form": ActionForm(),
            "own_body": partner_body_of(user),
            "error": error,
            "do": request.POST.get("do", "") if error else "",
            "typed": request.POST if error else {},
            "refused_item": request.POST.get("item", "") if error else "",
        },
        status=422 if error else 200,
    )


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    _need(request.user, "followup.view_overview")
    return render(
        request,
        "followup/overview.html",
        {
            "late_statements": statements_overdue(),
            "overdue": overdue_actions(),
            "cases": InterventionCase.objects.exclude(status="closed").select_related(
                "review__area"
            ),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    """An intervention case: the finding that opened it and its steps (referred, decided,
    closed), each confirmed by the national lead."""
    _need(request.user, "followup.view_overview")
    found = get_object_or_404(InterventionCase.objects.select_related("review__area"), pk=case_id)
    error = ""
    if request.method == "POST":
        _need(request.user, "followup.move_intervention")
        step = request.POST.get("step", "")
        try:
            if request.POST.get("confirm") != "yes":
                raise FollowUpRefused(CONFIRM)
            case_step(
                case=found,
                step=step,
                text=request.POST.get("text", ""),
                by=request.user,
                seen_version=_seen(request),
            )
        except FollowUpRefused as exc:
            error = str(exc)
        else:
            messages.success(request, "Intervention case updated.")
            return redirect("followup:case", found.pk)
    next_step = next(
        (name for name, (before, *_rest) in CASE_STEPS.items() if before == found.status), None
    )
    return render(
        request,
        "followup/case.html",
        {
            "case": found,
            "next_step": next_step,
            "can_move": request.user.has_perm("followup.move_intervention"),
            "trail": _trail(found),
            "error": error,
            "typed": request.POST.get("text", "") if error else "",
        },
        status=422 if error else 200,
    )
