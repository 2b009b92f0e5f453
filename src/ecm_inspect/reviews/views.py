"""Pages of joint area reviews: the list, each review's dashboard (stage, timetable chart,
team, what is overdue), one page per stage with what must be done, the team, and the
milestones as iCalendar. Thin: parse, ask the policy, call a service, render."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecm_inspect.accounts.decorators import staff_required

from .calendar import milestones_ical
from .charts import timeline_svg
from .confirmations import confirmation_for
from .forms import (
    AdvanceForm,
    FieldworkFeedbackForm,
    FieldworkPlanForm,
    FindingsMeetingForm,
    MeetingForm,
    ReviewCreateForm,
    TeamForm,
)
from .models import STAGE_ORDER, MeetingKind, Stage, TeamRole
from .selectors import review_dashboard, review_get_for_user, reviews_for_user
from .services import (
    ReviewRefused,
    fieldwork_feedback_record,
    fieldwork_plan_record,
    meeting_record,
    review_advance,
    review_create,
    review_team_set,
)
from .stages import CONFIRMED, TRANSITIONS, consequences, guards_for


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
        "notifications": review.notifications.select_related("email"),
        "confirmed_moves": [s.value for s in CONFIRMED],
    }


@staff_required
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_get_for_user(user=request.user, review_id=review_id)
    return render(request, "reviews/detail.html", _context(request, review))


def _stage_form(review: Any, current: Stage, data: Any) -> tuple[Any, str]:
    """The form of what `current` records, and which record it is."""
    if current == Stage.NOTIFIED:
        meeting = review.meetings.filter(kind=MeetingKind.SET_UP).first()
        initial = {f: getattr(meeting, f) for f in MeetingForm.base_fields} if meeting else {}
        if not initial.get("fieldwork_issues"):
            # The team has not written its own yet: start from the APA's (2004 proposals,
            # section 3: the APA specifies the fieldwork, discussed at the set-up meeting).
            _, issues = _apa_fieldwork(review)
            if issues:
                initial["fieldwork_issues"] = issues
        return MeetingForm(data, initial=initial), "set_up"
    if current == Stage.COMMENTS_CLOSED:
        meeting = review.meetings.filter(kind=MeetingKind.FINDINGS).first()
        fields = FindingsMeetingForm.base_fields
        initial = {f: getattr(meeting, f) for f in fields} if meeting else {}
        return FindingsMeetingForm(data, initial=initial), "findings"
    if current == Stage.ANALYSIS:
        plan = getattr(review, "fieldwork_plan", None)
        initial = {"hypotheses": plan.hypotheses, "activities": plan.activities} if plan else {}
        return FieldworkPlanForm(data, initial=initial), "plan"
    if current == Stage.FIELDWORK:
        given = getattr(review, "fieldwork_feedback", None)
        fields = FieldworkFeedbackForm.base_fields
        initial = {f: getattr(given, f) for f in fields} if given else {}
        return FieldworkFeedbackForm(data, initial=initial), "feedback"
    return None, ""


def _apa_fieldwork(review: Any) -> tuple[Any, str]:
    """The fieldwork issues the area's latest APA identifies (its assessment and the lines)."""
    from ecm_inspect.performance.selectors import apa_fieldwork_issues

    year = (review.analysis_starts_on or timezone.localdate()).year
    return apa_fieldwork_issues(area=review.area, before_year=year)


def _stage_save(review: Any, record: str, data: dict[str, Any], by: Any) -> str:
    if record == "set_up":
        meeting_record(review=review, kind=MeetingKind.SET_UP, by=by, **data)
        return "Recorded the set-up meeting."
    if record == "findings":
        meeting_record(review=review, kind=MeetingKind.FINDINGS, by=by, **data)
        return "Recorded the findings meeting."
    if record == "feedback":
        fieldwork_feedback_record(review=review, by=by, **data)
        return "Recorded the headline feedback to the DCS."
    fieldwork_plan_record(
        review=review,
        hypotheses=data["hypotheses"],
        activities=data["activities"],
        agree_on=timezone.localdate() if data["agree"] else None,
        by=by,
    )
    return "Saved the fieldwork plan."


@staff_required
@require_http_methods(["GET", "POST"])
def review_stage(request: HttpRequest, review_id: int, stage: str) -> HttpResponse:
    """What must be done in `stage`, whether the move out of it is allowed yet, and the form
    for what the stage records (the set-up meeting, the fieldwork plan, the headline feedback at
    the end of fieldwork, the findings meeting). A form with errors comes back with them, the
    typed input kept (422)."""
    review = review_get_for_user(
        user=request.user, review_id=review_id, perm="reviews.view_review_workings"
    )
    try:
        current = Stage(stage)
    except ValueError:
        raise Http404("No such stage.") from None
    transition = next((t for t in TRANSITIONS if t.source == current), None)
    form, record = _stage_form(review, current, request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("reviews.change_review", review):
            raise PermissionDenied
        if form is None:
            raise Http404("This stage records nothing.")
        if form.is_valid():
            try:
                done = _stage_save(review, record, form.cleaned_data, request.user)
            except ReviewRefused as exc:
                for reason in exc.reasons:
                    form.add_error(None, reason)
            else:
                messages.success(request, done)
                return redirect("reviews:stage", review.pk, current.value)
        status = 422
    checks = (
        [
            ((guard.__doc__ or guard.__name__).strip(), guard(review, timezone.localdate()))
            for guard in guards_for(transition)
        ]
        if transition
        else []
    )
    # What is still open when a move without a confirmation page happens (features add lines
    # with `on_confirming`): a warning beside the checks, not a refusal.
    still_open = (
        [
            line
            for line in consequences(review, transition.target, timezone.localdate())
            if line.still_open
        ]
        if transition and transition.target not in CONFIRMED
        else []
    )
    context = _context(request, review)
    apa, apa_issues = (
        _apa_fieldwork(review)
        if current in {Stage.PLANNED, Stage.NOTIFIED, Stage.SET_UP}
        else (None, "")
    )
    set_up = review.meetings.filter(kind=MeetingKind.SET_UP).first()
    context.update(
        {
            "apa": apa,
            "apa_issues": apa_issues.splitlines(),
            "apa_prefilled": bool(apa_issues)
            and current == Stage.NOTIFIED
            and not (set_up and set_up.fieldwork_issues),
            "current": current,
            "transition": transition,
            "form": form,
            "checks": checks,
            "still_open": still_open,
        }
    )
    return render(request, "reviews/stage.html", context, status=status)


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


def _confirm_page(
    request: HttpRequest, review: Any, target: Stage, form: Any, status: int = 200
) -> HttpResponse:
    day = (form.cleaned_data.get("on") if form.is_bound and form.is_valid() else None) or (
        timezone.localdate()
    )
    context = _context(request, review)
    context.update(
        {"confirmation": confirmation_for(review=review, target=target, day=day), "form": form}
    )
    return render(request, "reviews/confirm.html", context, status=status)


@staff_required
@require_GET
def review_confirm(request: HttpRequest, review_id: int, stage: str) -> HttpResponse:
    """Check your answers before a move that leaves the team or cannot be undone: what it will
    do, what is still open, and every reason it is refused (no confirm button while it is)."""
    review = review_get_for_user(
        user=request.user, review_id=review_id, perm="reviews.advance_review"
    )
    if stage not in Stage.values or Stage(stage) not in CONFIRMED:
        raise Http404("That move needs no confirming.")
    form = AdvanceForm(request.GET or None, initial={"to": stage})
    return _confirm_page(request, review, Stage(stage), form)


@staff_required
@require_POST
def review_advance_view(request: HttpRequest, review_id: int) -> HttpResponse:
    """Move the review on. A move that needs confirming, posted unconfirmed, goes to its
    confirmation page; a refusal comes back as an error summary with every reason."""
    review = review_get_for_user(
        user=request.user, review_id=review_id, perm="reviews.advance_review"
    )
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        to = request.POST.get("to", "")
        if to in Stage.values and Stage(to) in CONFIRMED:
            return _confirm_page(request, review, Stage(to), form, status=422)
        context = _context(request, review)
        context["refused"] = [
            f"{field.label or name}: {' '.join(str(e) for e in field.errors)}"
            for name, field in ((n, form[n]) for n in form.errors)
        ]
        return render(request, "reviews/detail.html", context, status=422)
    target = Stage(form.cleaned_data["to"])
    if target in CONFIRMED and not form.cleaned_data["confirmed"]:
        return redirect("reviews:confirm", review.pk, target.value)
    try:
        review = review_advance(
            review=review,
            to=target,
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
            by=request.user,
            confirmed=form.cleaned_data["confirmed"],
        )
    except ReviewRefused as exc:
        if target in CONFIRMED:
            return _confirm_page(request, review, target, form, status=409)
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
