"""Pages of joint area reviews: the list, each review's dashboard (stage, timetable chart,
team, what is overdue), one page per stage with what must be done, the team, and the
milestones as iCalendar. Thin: parse, ask the policy, call a service, render."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ecm_inspect.accounts.decorators import staff_required

from .calendar import milestones_ical
from .charts import timeline_svg
from .forms import AdvanceForm, FieldworkPlanForm, MeetingForm, ReviewCreateForm, TeamForm
from .models import STAGE_ORDER, MeetingKind, Stage, TeamRole
from .selectors import review_dashboard, review_get_for_user, reviews_for_user
from .services import (
    ReviewRefused,
    fieldwork_plan_record,
    meeting_record,
    review_advance,
    review_create,
    review_team_set,
)
from .stages import TRANSITIONS, guards_for


@staff_required
def review_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = []
    for review in reviews_for_user(user=request.user).prefetch_related("milestones"):
        upcoming = [m for m in review.milestones.all() if m.actual is None]
        upcoming.sort(key=lambda m: m.planned)
        rows.append(
            {
                "review": review,
                "next": upcoming[0] if upcoming else None,
                "overdue": sum(1 for m in upcoming if m.planned < today),
            }
        )
    return render(
        request,
        "reviews/list.html",
        {"rows": rows, "can_add": request.user.has_perm("reviews.add_review")},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("reviews.add_review"):
        raise PermissionDenied
    form = ReviewCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = review_create(
                area=data["area"],
                analysis_starts_on=data["analysis_starts_on"],
                dcs_name=data["dcs_name"],
                dcs_email=data["dcs_email"],
                scope=data["scope"],
                outcome_codes=request.POST.getlist("outcomes"),
                narrowed_because=data["narrowed_because"],
                scope_reason=data["scope_reason"],
                theme_codes=[t.code for t in data["national_themes"]],
                by=request.user,
            )
        except ReviewRefused as exc:
            for reason in exc.reasons:
                form.add_error(None, reason)
        else:
            messages.success(request, f"Planned the {review}.")
            return redirect("reviews:detail", review.pk)
    return render(request, "reviews/new.html", {"form": form})


def _context(request: HttpRequest, review: Any) -> dict[str, Any]:
    today = timezone.localdate()
    board = review_dashboard(review=review, today=today)
    user: Any = request.user
    return {
        "review": review,
        "board": board,
        "chart": timeline_svg(board.milestones, today, f"Timetable of the {review}"),
        "today": today,
        "workings": user.has_perm("reviews.view_review_workings", review),
        "can_change": user.has_perm("reviews.change_review", review),
        "can_advance": user.has_perm("reviews.advance_review", review),
        "stages": [
            {"stage": s, "done": STAGE_ORDER.index(s) < STAGE_ORDER.index(Stage(review.stage))}
            for s in STAGE_ORDER
        ],
        "asked_of_area": review.notifications.filter(kind="notification").first(),
    }


@staff_required
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_get_for_user(user=request.user, review_id=review_id)
    return render(request, "reviews/detail.html", _context(request, review))


@staff_required
@require_http_methods(["GET", "POST"])
def review_stage(request: HttpRequest, review_id: int, stage: str) -> HttpResponse:
    """What must be done in `stage`, whether the move out of it is allowed yet, and the form
    for what the stage records (the set-up meeting, the fieldwork plan, the findings meeting)."""
    review = review_get_for_user(
        user=request.user, review_id=review_id, perm="reviews.view_review_workings"
    )
    try:
        current = Stage(stage)
    except ValueError:
        from django.http import Http404

        raise Http404("No such stage.") from None
    transition = next((t for t in TRANSITIONS if t.source == current), None)
    form: Any = None
    kind = {Stage.NOTIFIED: MeetingKind.SET_UP, Stage.COMMENTS_CLOSED: MeetingKind.FINDINGS}.get(
        current
    )
    if kind is not None:
        meeting = review.meetings.filter(kind=kind).first()
        initial = (
            {f: getattr(meeting, f) for f in MeetingForm.base_fields if hasattr(meeting, f)}
            if meeting
            else {}
        )
        form = MeetingForm(request.POST or None, initial=initial)
    elif current == Stage.ANALYSIS:
        plan = getattr(review, "fieldwork_plan", None)
        initial = {"hypotheses": plan.hypotheses, "activities": plan.activities} if plan else {}
        form = FieldworkPlanForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not request.user.has_perm("reviews.change_review", review):
            raise PermissionDenied
        if form is not None and form.is_valid():
            data = form.cleaned_data
            if kind is not None:
                meeting_record(review=review, kind=kind, by=request.user, **data)
            else:
                fieldwork_plan_record(
                    review=review,
                    hypotheses=data["hypotheses"],
                    activities=data["activities"],
                    agree_on=timezone.localdate() if data["agree"] else None,
                    by=request.user,
                )
            messages.success(request, "Saved.")
            return redirect("reviews:stage", review.pk, current.value)
    checks = (
        [
            ((guard.__doc__ or guard.__name__).strip(), guard(review, timezone.localdate()))
            for guard in guards_for(transition)
        ]
        if transition
        else []
    )
    context = _context(request, review)
    context.update({"current": current, "transition": transition, "form": form, "checks": checks})
    return render(request, "reviews/stage.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def review_team(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_get_for_user(
        user=request.user, review_id=review_id, perm="reviews.view_review_workings"
    )
    team = list(review.team.all())
    leader = next((m.inspector_id for m in team if m.role == TeamRole.LEADER), None)
    form = TeamForm(
        request.POST or None, initial={"leader": leader, "members": [m.inspector_id for m in team]}
    )
    refused: list[str] = []
    if request.method == "POST":
        if not request.user.has_perm("reviews.change_review", review):
            raise PermissionDenied
        if form.is_valid():
            try:
                review_team_set(
                    review=review,
                    leader=form.cleaned_data["leader"],
                    members=form.cleaned_data["members"],
                    by=request.user,
                )
            except ReviewRefused as exc:
                refused = exc.reasons
            else:
                messages.success(request, "Saved the team.")
                return redirect("reviews:detail", review.pk)
    context = _context(request, review)
    context.update({"form": form, "refused": refused})
    return render(request, "reviews/team.html", context, status=422 if refused else 200)


@staff_required
@require_POST
def review_advance_view(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_get_for_user(
        user=request.user, review_id=review_id, perm="reviews.advance_review"
    )
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the stage to move to.")
        return redirect("reviews:detail", review.pk)
    try:
        review = review_advance(
            review=review,
            to=form.cleaned_data["to"],
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ReviewRefused as exc:
        context = _context(request, review)
        context["refused"] = exc.reasons
        return render(request, "reviews/detail.html", context, status=409)
    messages.success(request, f"The review is now in {Stage(review.stage).label.lower()}.")
    return redirect("reviews:detail", review.pk)


@staff_required
def review_calendar(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_get_for_user(user=request.user, review_id=review_id)
    response = HttpResponse(milestones_ical(review=review), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="review-{review.pk}.ics"'
    return response
