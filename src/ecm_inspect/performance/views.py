"""Pages of the annual performance assessment: every area's grades for a year, one area's
assessment (proposals with reasons, the inspector's grades, indicators), the APA letter (HTML
and PDF), the self-assessment, critical incidents and alerts."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.accounts.exports import csv_text, dict_rows
from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.core.files import stored_file_response
from ecm_inspect.core.inputs import FIRST_YEAR, LAST_YEAR, whole_number
from ecm_inspect.registry.models import Area

from .calendar import STEPS, calendar_for, calendar_progress, timeline_svg
from .charts import neighbours_svg, spread_svg
from .forms import (
    AssessmentMeetingForm,
    CalendarForm,
    CouncilDocumentForm,
    IncidentForm,
    RecordGradeForm,
    SelfAssessmentPartForm,
)
from .letters import (
    assessment_meeting_record,
    calendar_dates_set,
)
from .models import (
    OUTCOME_CODES,
    Assessment,
    AssessmentRun,
    CouncilDocument,
    InterventionAlert,
    LetterStatus,
    SelfAssessmentStatus,
)
from .selectors import (
    CPA_BLOCK_SCORE_FIELDS,
    REAL_2005_OVERALL,
    alerts_for_user,
    assessment_get_for_user,
    assessment_years,
    assessments_for_user,
    cpa_block_score_rows,
    cpa_block_scores_for_user,
    indicator_rows,
    judgements_in_order,
    overall_spread,
    self_assessment_get,
)
from .self_assessment import (
    council_document_add,
    self_assessment_for,
    self_assessment_part_write,
    self_assessment_submit,
)
from .services import (
    AssessmentRefused,
    alert_acknowledge,
    critical_incident_log,
    judgement_record,
)
from .tasks import RunRefused, assessment_run_start, runs_reap


@staff_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    years = assessment_years()
    asked = request.GET.get("year")
    year = whole_number(asked, low=FIRST_YEAR, high=LAST_YEAR) if asked else None
    if asked and year is None:
        raise Http404("No such year.")
    year = year or (years[0] if years else timezone.localdate().year)
    assessments = list(assessments_for_user(user=request.user, year=year))
    spread = overall_spread(assessments)
    graded = sum(n for g, n in spread.items() if g is not None) or 1
    shares = {g: 100 * n / graded for g, n in spread.items() if g is not None}
    kinds = [*OUTCOME_CODES, "SM", "capacity", "overall"]
    rows = []
    for a in assessments:
        by_kind = {j.kind: j for j in a.judgements.all()}
        rows.append((a, [(k, by_kind.get(k)) for k in kinds]))
    return render(
        request,
        "performance/list.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "kinds": kinds,
            "spread": spread,
            # A template cannot look up the None key: pass the ungraded count by name.
            "insufficient": spread[None],
            "chart": spread_svg(shares, REAL_2005_OVERALL, f"Overall grades proposed for {year}")
            if assessments
            else "",
            "alerts": alerts_for_user(user=request.user),
            "can_log": request.user.has_perm("performance.log_incident"),
            "can_run": request.user.has_perm("performance.run_assessments"),
            "can_see_block_scores": request.user.has_perm("performance.view_proposals"),
            "runs": AssessmentRun.objects.filter(year=year)[:3],
        },
    )


def _record(request: HttpRequest, assessment: Any) -> tuple[Any, str | None]:
    """Handle the record-grade form; returns the bound form (on error) and any conflict."""
    if not request.user.has_perm("performance.record_grade", assessment.area):
        raise PermissionDenied
    form = RecordGradeForm(request.POST)
    if not form.is_valid():
        return form, None
    judgement = assessment.judgements.filter(kind=form.cleaned_data["kind"]).first()
    if judgement is None:
        raise Http404("No such judgement.")
    try:
        judgement_record(
            judgement=judgement,
            grade=form.cleaned_data["grade"],
            rationale=form.cleaned_data["rationale"],
            override_reason=form.cleaned_data["override_reason"],
            seen_version=form.cleaned_data["version"],
            by=request.user,
        )
    except AssessmentRefused as exc:
        form.add_error(None, str(exc))
        return form, None
    except EditConflict as exc:
        return form, str(exc)
    return None, None


def _calendar(assessment: Assessment) -> dict[str, Any]:
    states = calendar_progress(area=assessment.area, year=assessment.year)
    return {
        "calendar": states,
        "calendar_chart": timeline_svg(
            states, f"The {assessment.year} APA of {assessment.area.name}: steps and due dates"
        ),
        "overdue": [s for s in states if s.overdue],
    }


@staff_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, year: int, gss_code: str) -> HttpResponse:
    assessment = assessment_get_for_user(user=request.user, year=year, gss_code=gss_code)
    user: Any = request.user
    bound, conflict = None, None
    meeting_form = AssessmentMeetingForm(initial={"held_on": assessment.meeting_held_on})
    if request.method == "POST" and request.POST.get("action") == "meeting":
        if not user.has_perm("performance.record_grade", assessment.area):
            raise PermissionDenied
        meeting_form = AssessmentMeetingForm(request.POST)
        if meeting_form.is_valid():
            try:
                assessment_meeting_record(
                    assessment=assessment, held_on=meeting_form.cleaned_data["held_on"], by=user
                )
            except AssessmentRefused as exc:
                meeting_form.add_error("held_on", str(exc).split(": ", 1)[-1])
            else:
                messages.success(request, "Recorded the assessment meeting.")
                return redirect("performance:detail", year, gss_code)
    elif request.method == "POST":
        bound, conflict = _record(request, assessment)
        if bound is None and conflict is None:
            messages.success(request, "Recorded the grade.")
            return redirect("performance:detail", year, gss_code)
    can_view_proposals = user.has_perm("performance.view_proposals")
    can_view_letter = user.has_perm("performance.view_letter", assessment)
    judgements = judgements_in_order(assessment)
    can_record = user.has_perm("performance.record_grade", assessment.area) and (
        assessment.letter_status != LetterStatus.PUBLISHED
    )
    forms = []
    for j in judgements:
        if bound is not None and bound.data.get("kind") == j.kind:
            forms.append((j, bound))
        else:
            forms.append(
                (
                    j,
                    RecordGradeForm(
                        initial={
                            "kind": j.kind,
                            "version": j.version,
                            "grade": j.recorded_grade or j.proposed_grade,
                            "rationale": j.rationale,
                            "override_reason": j.override_reason,
                        },
                        prefix=None,
                    ),
                )
            )
    context = {
        "assessment": assessment,
        "area": assessment.area,
        "forms": forms,
        "can_record": can_record,
        "can_view_proposals": can_view_proposals,
        "can_view_letter": can_view_letter,
        "meeting_form": meeting_form,
        "conflict": conflict,
        "indicators": indicator_rows(area=assessment.area, year=year),
    }
    context.update(_calendar(assessment))
    invalid = bound is not None or bool(meeting_form.errors)
    return render(
        request,
        "performance/detail.html",
        context,
        status=409 if conflict else (422 if invalid else 200),
    )


@staff_required
@require_GET
def council_document_download(
    request: HttpRequest, year: int, gss_code: str, document_id: int
) -> HttpResponseBase:
    """A document the council attached to its self-assessment, for whoever may read the
    self-assessment."""
    area = Area.objects.filter(gss_code=gss_code).first()
    if area is None:
        raise Http404("No such area.")
    if not request.user.has_perm("performance.view_self_assessment", area):
        raise PermissionDenied
    document = CouncilDocument.objects.filter(
        pk=document_id, self_assessment__area=area, self_assessment__year=year
    ).first()
    if document is None:
        raise Http404("No such document.")
    response = stored_file_response(document.file, filename=document.download_name)
    response["X-Content-SHA256"] = document.sha256
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest, year: int, gss_code: str) -> HttpResponse:
    area = Area.objects.filter(gss_code=gss_code).first()
    if area is None:
        raise Http404("No such area.")
    user: Any = request.user
    if not user.has_perm("performance.view_self_assessment", area):
        raise PermissionDenied
    found = self_assessment_get(area=area, year=year)  # a GET stores nothing
    indicators = indicator_rows(area=area, year=year)
    form = SelfAssessmentPartForm(request.POST or None)
    document_form = CouncilDocumentForm()
    if request.method == "POST":
        if request.POST.get("action") == "document" or "document" in request.FILES:
            if not user.has_perm("performance.change_self_assessment", area):
                raise PermissionDenied
            form = SelfAssessmentPartForm()
            document_form = CouncilDocumentForm(request.POST, request.FILES)
            if document_form.is_valid():
                upload: Any = document_form.cleaned_data["document"]
                try:
                    council_document_add(
                        self_assessment=self_assessment_for(area=area, year=year),
                        kind=document_form.cleaned_data["kind"],
                        title=document_form.cleaned_data["title"],
                        content=upload,
                        name=str(upload.name or "document"),
                        by=user,
                    )
                except AssessmentRefused as exc:
                    document_form.add_error(None, str(exc))
                else:
                    messages.success(request, "Attached the document.")
                    return redirect("performance:self-assessment", year, gss_code)
        if request.POST.get("submit") == "submit":
            if not user.has_perm("performance.submit_self_assessment", area):
                raise PermissionDenied
            try:
                submission = self_assessment_submit(self_assessment=found, by=user)
            except AssessmentRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Submitted (version {submission.number}).")
            return redirect("performance:self-assessment", year, gss_code)
        if not user.has_perm("performance.change_self_assessment", area):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            self_assessment_part_write(
                self_assessment=self_assessment_for(area=area, year=year),
                section=data["section"],
                organisation=str(user.organisation),
                strengths=data["strengths"],
                weaknesses=data["weaknesses"],
                impact_evidence=data["impact_evidence"],
                resources=data["resources"],
                self_grade=data["self_grade"],
                by=user,
            )
            messages.success(request, "Saved your part.")
            return redirect("performance:self-assessment", year, gss_code)
    return render(
        request,
        "performance/self_assessment.html",
        {
            "area": area,
            "year": year,
            "found": found,
            "parts": found.parts.order_by("section", "author_organisation") if found.pk else [],
            "submissions": found.submissions.all() if found.pk else [],
            "documents": found.documents.all() if found.pk else [],
            "form": form,
            "document_form": document_form,
            "can_change": user.has_perm("performance.change_self_assessment", area),
            "can_submit": user.has_perm("performance.submit_self_assessment", area),
            "submitted": found.status == SelfAssessmentStatus.SUBMITTED,
            "indicators": indicators,
            "indicator_chart": neighbours_svg(
                indicators, f"{area.name} against its statistical neighbours, {year}"
            )
            if indicators
            else "",
        },
        status=400 if document_form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def calendar_view(request: HttpRequest, year: int) -> HttpResponse:
    """The year's APA steps and their due dates, for inspectorate staff; the national lead sets
    them."""
    if not request.user.has_perm("performance.view_assessment_list"):
        raise PermissionDenied
    can_set = request.user.has_perm("performance.set_calendar")
    due = calendar_for(year)
    form = CalendarForm(
        request.POST if request.method == "POST" else None, steps=list(STEPS), initial=due
    )
    status = 200
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied
        if form.is_valid():
            try:
                changed = calendar_dates_set(year=year, dates=form.cleaned_data, by=request.user)
            except AssessmentRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Saved the {year} calendar ({changed} dates changed).")
                return redirect("performance:calendar", year)
        status = 422
    return render(
        request,
        "performance/calendar.html",
        {"year": year, "due": [(s, due[s.code]) for s in STEPS], "form": form, "can_set": can_set},
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("performance.log_incident"):
        raise PermissionDenied
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        area = Area.objects.filter(gss_code=data["area"]).first()
        if area is None:
            form.add_error("area", f"No area has the GSS code {data['area']}.")
        else:
            try:
                critical_incident_log(
                    area=area,
                    kind=data["kind"],
                    occurred_on=data["occurred_on"],
                    source=data["source"],
                    description=data["description"],
                    by=request.user,
                )
            except AssessmentRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Logged; the national lead has an intervention alert.")
                return redirect("performance:list")
    return render(request, "performance/incident.html", {"form": form})


@staff_required
@require_POST
def alert_acknowledge_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    if not request.user.has_perm("performance.view_alerts"):
        raise PermissionDenied
    alert = InterventionAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise Http404("No such alert.")
    alert_acknowledge(alert=alert, by=request.user)
    messages.success(request, "Alert acknowledged.")
    return redirect("performance:list")


RUN_REFRESH_SECONDS = 5


@staff_required
@require_POST
def assessment_run_new(request: HttpRequest) -> HttpResponse:
    """Propose the APA of every area for a year, in a task worker; the run's page follows it."""
    if not request.user.has_perm("performance.run_assessments"):
        raise PermissionDenied
    year = whole_number(request.POST.get("year", ""), low=FIRST_YEAR, high=LAST_YEAR)
    if year is None:
        messages.error(
            request, f"Year: enter a year from {FIRST_YEAR} to {LAST_YEAR}, for example 2026."
        )
        return redirect("performance:list")
    try:
        run = assessment_run_start(year=year, by=request.user)
    except RunRefused as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('performance:list')}?year={year}")
    return redirect("performance:run", run_id=run.pk)


@staff_required
def assessment_run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """Where an APA run has got to; reloads itself while it runs."""
    if not request.user.has_perm("performance.run_assessments"):
        raise PermissionDenied
    runs_reap()
    run = AssessmentRun.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None:
        raise Http404("No such run.")
    response = render(
        request,
        "performance/run.html",
        {"run": run, "refresh_seconds": RUN_REFRESH_SECONDS},
    )
    if run.active:
        response["Refresh"] = str(RUN_REFRESH_SECONDS)
    return response


@staff_required
def cpa_block_scores_csv(request: HttpRequest) -> HttpResponse:
    """Every stored CPA children and young people block score (or one year's, `?year=`), as
    CSV: year, council, score, its source (the APA or the review) and whether decided."""
    asked = request.GET.get("year")
    year = whole_number(asked, low=FIRST_YEAR, high=LAST_YEAR) if asked else None
    if asked and year is None:
        raise Http404("No such year.")
    rows = cpa_block_score_rows(cpa_block_scores_for_user(user=request.user, year=year))
    response = HttpResponse(
        csv_text(dict_rows(CPA_BLOCK_SCORE_FIELDS, rows)), content_type="text/csv; charset=utf-8"
    )
    name = f"cpa-block-scores-{year}.csv" if year else "cpa-block-scores.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
