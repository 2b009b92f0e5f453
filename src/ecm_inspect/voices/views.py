"""The review team's pages for the survey and for other views of children and young people."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.accounts.ratelimit import Rate
from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.core.inputs import whole_number
from ecm_inspect.core.models import OutgoingEmail
from ecm_inspect.core.services import email_handled_from_form
from ecm_inspect.evidence.screening import screen
from ecm_inspect.framework.models import Outcome
from ecm_inspect.reviews.models import Review, Stage
from ecm_inspect.reviews.selectors import review_for_request

from .analysis import REFERENCE_NAME, results_as_dict, survey_results
from .charts import results_chart
from .concerns import concern_handle
from .coverage import review_coverage
from .evidence import evidence_from_survey
from .forms import GatheredViewsForm, SurveyForm
from .models import Concern, ConcernStatus, Survey, SurveySchool, SurveyStatus
from .sampling import SamplingError
from .services import (
    SurveyClosed,
    SurveyRefused,
    feedback_write,
    survey_accepting,
    survey_close,
    survey_create,
    survey_open,
    survey_sample,
    views_record,
)


def _survey(review: Review) -> Survey | None:
    return (
        Survey.objects.filter(review=review)
        .select_related("proforma", "safeguarding_contact")
        .first()
    )


@staff_required
@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "voices.view_survey")
    survey = _survey(review)
    can_manage = request.user.has_perm("voices.manage_survey", review)
    contacts = get_user_model().objects.filter(inspector__reviews__review=review).distinct()
    form = SurveyForm(request.POST or None, contacts=contacts)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action", "create")
        try:
            if action == "create" and survey is None:
                if form.is_valid():
                    data = form.cleaned_data
                    survey = survey_create(
                        review=review,
                        opens_on=data["opens_on"],
                        closes_on=data["closes_on"],
                        safeguarding_contact=data["safeguarding_contact"],
                        by=request.user,
                    )
                    survey_sample(survey=survey, size=data["schools"])
                    messages.success(
                        request,
                        f"Survey set up with {survey.schools.count()} schools and colleges.",
                    )
                    return redirect("voices:survey", review.pk)
            elif survey is not None and action == "open":
                survey_open(survey=survey, by=request.user)
                messages.success(
                    request, "The survey is open: children can answer with their school's code."
                )
                return redirect("voices:survey", review.pk)
            elif survey is not None and action == "close":
                survey_close(survey=survey, by=request.user)
                messages.success(request, "The survey is closed and its answers frozen.")
                return redirect("voices:survey", review.pk)
            elif survey is not None and action == "resample":
                survey_sample(
                    survey=survey, size=whole_number(request.POST.get("schools"), low=1) or 15
                )
                messages.success(request, "The schools and colleges were chosen again.")
                return redirect("voices:survey", review.pk)
            elif survey is not None and action == "evidence":
                items = evidence_from_survey(survey=survey, by=request.user)
                messages.success(request, f"Recorded {len(items)} evidence items from the survey.")
                return redirect("voices:survey", review.pk)
        except (SurveyRefused, SamplingError, EditConflict) as exc:
            form.add_error(None, str(exc))
    schools = []
    if survey is not None:
        counts: dict[int, int] = {}
        for school_id in survey.responses.filter(submitted_on__isnull=False).values_list(
            "school_id", flat=True
        ):
            counts[school_id] = counts.get(school_id, 0) + 1
        schools = [(s, counts.get(s.pk, 0)) for s in survey.schools.all()]
    return render(
        request,
        "voices/survey.html",
        {
            "review": review,
            "survey": survey,
            "form": form,
            "schools": schools,
            # The schools' pages are linked only while children may answer (else they are gone).
            "accepting": survey is not None and _accepting(survey),
            "can_manage": can_manage,
            "can_see_concerns": request.user.has_perm("voices.view_concerns", review),
            "submitted": survey.responses.filter(submitted_on__isnull=False).count()
            if survey
            else 0,
            "unfinished": survey.responses.filter(submitted_on__isnull=True).count()
            if survey
            else 0,
            "open_concerns": survey.concerns.filter(status=ConcernStatus.NEW).count()
            if survey
            else 0,
            "held_concerns": survey.concerns.filter(status=ConcernStatus.NEW, held=True).count()
            if survey
            else 0,
            "undelivered_alerts": OutgoingEmail.objects.undelivered()
            .filter(pk__in=survey.concerns.filter(alert__isnull=False).values("alert"))
            .count()
            if survey
            else 0,
        },
        status=422 if form.errors else 200,
    )


def _compare_with(request: HttpRequest, survey: Survey) -> Survey | None:
    other = request.GET.get("compare")
    if not other:
        return None
    candidate = (
        Survey.objects.filter(pk=other).exclude(pk=survey.pk).select_related("review").first()
    )
    if candidate is None or not request.user.has_perm(
        "voices.view_published_results", candidate.review
    ):
        return None
    return candidate


@staff_required
def survey_results_view(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "voices.view_published_results")
    survey = get_object_or_404(Survey, review=review)
    team = request.user.has_perm("voices.view_survey", review)
    audience = "team" if team and request.GET.get("as") != "published" else "published"
    compare = _compare_with(request, survey)
    results = survey_results(survey, audience=audience, compare_with=compare)
    if request.GET.get("format") == "json":
        return JsonResponse(results_as_dict(results))
    others = Survey.objects.exclude(pk=survey.pk).select_related("review__area")
    return render(
        request,
        "voices/results.html",
        {
            "review": review,
            "survey": survey,
            "results": results,
            "team": team,
            "chart": results_chart(results),
            "reference_name": REFERENCE_NAME,
            "others": [
                o
                for o in others
                if request.user.has_perm("voices.view_published_results", o.review)
            ],
            "compare": compare,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def concerns(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "voices.view_concerns")
    survey = get_object_or_404(Survey, review=review)
    error = ""
    refused: Concern | None = None
    # Alerts about this survey's concerns that the mail service never delivered: an error here
    # until someone marks each handled (core/_undelivered.html).
    undelivered = OutgoingEmail.objects.undelivered().filter(
        pk__in=survey.concerns.filter(alert__isnull=False).values("alert")
    )
    email_error = ""
    refused_email = None
    if request.method == "POST" and "email" in request.POST:
        refused_email, email_error = email_handled_from_form(
            emails=undelivered, data=request.POST, by=request.user
        )
        if not email_error:
            messages.success(request, f"Recorded that {refused_email} was handled another way.")
            return redirect("voices:concerns", review.pk)
    elif request.method == "POST":
        concern = get_object_or_404(Concern, pk=request.POST.get("concern"), survey=survey)
        try:
            concern_handle(
                concern=concern,
                status=request.POST.get("status", ""),
                action=request.POST.get("action", ""),
                by=request.user,
            )
        except SurveyRefused as exc:
            error = str(exc)
            refused = concern
        else:
            messages.success(
                request, f"Recorded what was done about the concern from {concern.where}."
            )
            return redirect("voices:concerns", review.pk)
    return render(
        request,
        "voices/concerns.html",
        {
            "review": review,
            "survey": survey,
            "concerns": survey.concerns.select_related("school", "alert"),
            "held": survey.concerns.filter(held=True, status=ConcernStatus.NEW).count(),
            "undelivered": list(undelivered),
            "email_error": email_error,
            "refused_email_pk": refused_email.pk if refused_email and email_error else None,
            "typed_note": request.POST.get("note", "") if email_error else "",
            "talk_limit": Rate.parse(settings.ECM_SURVEY_TALK_LIMIT),
            "talk_client_limit": Rate.parse(settings.ECM_SURVEY_TALK_CLIENT_LIMIT),
            "statuses": [
                (v, label) for v, label in ConcernStatus.choices if v != ConcernStatus.NEW
            ],
            "error": error,
            # The concern whose form was refused, with what was typed, kept.
            "refused_pk": refused.pk if refused else None,
            "typed_status": request.POST.get("status", "") if error else "",
            "typed_action": request.POST.get("action", "") if error else "",
        },
        status=422 if error or email_error else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "voices.view_survey")
    survey = get_object_or_404(Survey, review=review)
    error = ""
    if request.method == "POST":
        if not request.user.has_perm("voices.manage_survey", review):
            raise PermissionDenied
        texts = {
            p.outcome: request.POST.get(f"did_{p.outcome}", "")
            for p in survey.proforma.parsed.pages
            if p.outcome
        }
        findings = [f for text in texts.values() for f in screen(text)]
        if findings:
            error = "Take out what could identify someone: " + "; ".join(
                f.describe() for f in findings
            )
        else:
            try:
                feedback_write(
                    survey=survey,
                    feedback=texts,
                    by=request.user,
                    expected_version=whole_number(request.POST.get("version")) or 0,
                )
            except EditConflict as exc:
                error = str(exc)
            else:
                messages.success(
                    request, "Saved what the inspectors did, for the children's summary."
                )
                return redirect("voices:feedback", review.pk)
    # When saving is refused, what was typed is shown again, not what was saved.
    shown = (
        {p.outcome: request.POST.get(f"did_{p.outcome}", "") for p in survey.proforma.parsed.pages}
        if error
        else survey.feedback
    )
    outcomes = [
        {"code": p.outcome, "title": p.title("default"), "text": shown.get(p.outcome, "")}
        for p in survey.proforma.parsed.pages
        if p.outcome
    ]
    return render(
        request,
        "voices/feedback.html",
        {
            "review": review,
            "survey": survey,
            "outcomes": outcomes,
            "error": error,
            "can_manage": request.user.has_perm("voices.manage_survey", review),
        },
        status=422 if error else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def gathered_views(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "voices.view_survey")
    form = GatheredViewsForm(request.POST or None)
    outcomes_field = form.fields["outcomes"]
    outcomes_field.queryset = Outcome.objects.filter(  # type: ignore[attr-defined]
        version__code=review.framework_code
    ).order_by("order")
    if request.method == "POST":
        if not request.user.has_perm("voices.record_views", review):
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            outcomes = list(data.pop("outcomes"))
            confirmed = data.pop("confirm")
            findings = screen(data["summary"]) + screen(data.get("used", ""))
            if findings and not confirmed:
                form.add_error(
                    "summary",
                    "This may identify someone: "
                    + "; ".join(f.describe() for f in findings)
                    + ". Take it out, or confirm that it names no child or family.",
                )
            else:
                views = views_record(review=review, outcomes=outcomes, by=request.user, **data)
                messages.success(request, f"Recorded: {views.title}. It is now an evidence item.")
                return redirect("voices:views", review.pk)
    return render(
        request,
        "voices/views.html",
        {
            "review": review,
            "form": form,
            "records": review.gathered_views.prefetch_related("outcomes"),
            "can_record": request.user.has_perm("voices.record_views", review),
            "coverage": review_coverage(review),
            "on_team": request.user.has_perm("evidence.view_case_files", review),
            "survey": _survey(review),
        },
        status=422 if form.errors else 200,
    )


def children_summary(request: HttpRequest, code: str) -> HttpResponse:
    """For schools to share with their pupils: what children said (published figures only)
    and what the inspectors did. Reached with the school's code, once the survey is closed."""
    school = get_object_or_404(
        SurveySchool.objects.select_related("survey__review__area"), code=code.upper()
    )
    survey = school.survey
    ready = survey.status == SurveyStatus.CLOSED
    results = survey_results(survey, audience="published") if ready else None
    said = []
    if results:
        for page in results.pages:
            if not page.outcome:
                continue
            lines = []
            for item in page.items:
                share = item.positive.percent if item.positive else None
                if share is not None:
                    lines.append(
                        f"{round(share)} out of every 100 answered "
                        f"'{_first_positive(item)}' to: {item.label}"
                    )
            topics = [t for text in page.texts for t, c in text.themes if c.shown][:3]
            said.append(
                {
                    "title": page.title,
                    "lines": lines[:3],
                    "topics": topics,
                    "did": survey.feedback.get(page.outcome, ""),
                }
            )
    return render(
        request,
        "voices/summary.html",
        {
            "school": school,
            "survey": survey,
            "ready": ready,
            "results": results,
            "said": said,
            "published": survey.review.stage in (Stage.PUBLISHED, Stage.FOLLOW_UP),
        },
    )


def _first_positive(item: Any) -> str:
    return " or ".join(item.item.choice_label(v) for v in item.item.positive)


def _accepting(survey: Survey) -> bool:
    try:
        survey_accepting(survey)
    except SurveyClosed:
        return False
    return True
