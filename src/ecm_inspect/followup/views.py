"""Follow-up pages: a review's statement of proposed action with progress, and the national
lead's overview of overdue actions and intervention cases."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.reviews.selectors import review_get_for_user

from .models import Action, InterventionCase
from .services import FollowUpRefused, overdue_actions, progress_add, statement_make


@staff_required
@require_http_methods(["GET", "POST"])
def actions(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_get_for_user(user=request.user, review_id=review_id)
    user: Any = request.user
    if not user.has_perm("followup.view_actions", review):
        raise PermissionDenied
    error = ""
    refused_item: int | None = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "statement":
                if not user.has_perm("followup.make_statement", review):
                    raise PermissionDenied
                statement_make(review=review, by=user)
            else:
                if not user.has_perm("followup.report_progress", review):
                    raise PermissionDenied
                found = Action.objects.filter(
                    review=review, pk=request.POST.get("item") or 0
                ).first()
                if found is None:
                    raise Http404("No such action.")
                refused_item = found.pk
                progress_add(
                    action=found,
                    text=request.POST.get("text", ""),
                    done=request.POST.get("done") == "on",
                    by=user,
                )
        except FollowUpRefused as exc:
            # Shown as an error at the top and beside the form, with what was typed kept.
            error = str(exc)
        else:
            messages.success(request, "Saved.")
            return redirect("followup:actions", review.pk)
    overdue = {o.action.pk: o.days for o in overdue_actions()}
    return render(
        request,
        "followup/actions.html",
        {
            "review": review,
            "rows": [
                (a, overdue.get(a.pk))
                for a in Action.objects.filter(review=review).prefetch_related("progress")
            ],
            "can_make": user.has_perm("followup.make_statement", review),
            "can_report": user.has_perm("followup.report_progress", review),
            "intervention": InterventionCase.objects.filter(review=review).first(),
            "error": error,
            "refused_item": refused_item,
            "typed_text": request.POST.get("text", "") if error else "",
            "typed_done": request.POST.get("done") == "on" if error else False,
        },
        status=422 if error else 200,
    )


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("followup.view_overview"):
        raise PermissionDenied
    return render(
        request,
        "followup/overview.html",
        {
            "overdue": overdue_actions(),
            "cases": InterventionCase.objects.filter(closed_on__isnull=True),
        },
    )
