"""Complaints (public form; the handlers' dashboard and workflow), questionnaires (answered
through their link, no account) and the evaluation summary."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.accounts.models import User
from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.core.inputs import whole_number
from ecm_inspect.registry.models import Inspectorate

from .models import Complaint, Outcome, Questionnaire
from .services import (
    AGREEMENT,
    QualityRefused,
    complaint_acknowledge,
    complaint_assign,
    complaint_decide,
    complaint_receive,
    complaints_due,
    criteria_for,
    evaluation_summary,
    questionnaire_answer,
)


class ComplaintForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200)
    email = forms.EmailField(label="Your email address (optional)", required=False)
    inspectorate = forms.ModelChoiceField(
        queryset=Inspectorate.objects.order_by("name"),
        label="Which inspectorate",
        to_field_name="code",
    )
    about = forms.CharField(label="Which inspection is it about", max_length=300)
    description = forms.CharField(widget=forms.Textarea, label="What is your complaint")


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_receive(**form.cleaned_data)
        except QualityRefused as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "quality/complaint_received.html", {"complaint": complaint})
    return render(request, "quality/complaint_new.html", {"form": form})


@staff_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("quality.view_complaints"):
        raise PermissionDenied
    return render(
        request,
        "quality/complaints.html",
        {"due": complaints_due(), "decided": Complaint.objects.filter(status="decided")[:20]},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request: HttpRequest, reference: str) -> HttpResponse:
    if not request.user.has_perm("quality.view_complaints"):
        raise PermissionDenied
    complaint = Complaint.objects.filter(reference=reference).first()
    if complaint is None:
        raise Http404("No such complaint.")
    error = ""
    if request.method == "POST":
        if not request.user.has_perm("quality.handle_complaint", complaint):
            raise PermissionDenied
        step = request.POST.get("step")
        try:
            if step == "acknowledge":
                complaint_acknowledge(complaint=complaint, by=request.user)
            elif step == "assign":
                investigator = User.objects.filter(pk=request.POST.get("investigator") or 0).first()
                if investigator is None:
                    raise QualityRefused("Choose the investigator.")
                complaint_assign(complaint=complaint, investigator=investigator, by=request.user)
            elif step == "decide":
                complaint_decide(
                    complaint=complaint,
                    outcome=request.POST.get("outcome", ""),
                    reasons=request.POST.get("reasons", ""),
                    report_change=request.POST.get("report_change", ""),
                    by=request.user,
                )
            else:
                raise QualityRefused("Unknown step.")
        except (QualityRefused, EditConflict) as exc:
            # The form again, with the reason and what was typed, never a "Saved" banner.
            error = str(exc)
            complaint.refresh_from_db()
        else:
            messages.success(request, "Saved.")
            return redirect("quality:complaint", complaint.reference)
    staff = User.objects.filter(
        role__in=["national_lead", "inspectorate_lead", "inspector", "review_team_leader"]
    )
    typed = request.POST if error else {}
    return render(
        request,
        "quality/complaint.html",
        {
            "complaint": complaint,
            "staff": staff.order_by("full_name"),
            "outcomes": Outcome.choices,
            "error": error,
            "typed": {
                "investigator": typed.get("investigator", ""),
                "outcome": typed.get("outcome", ""),
                "reasons": typed.get("reasons", ""),
                "report_change": typed.get("report_change", ""),
            },
        },
        status=422 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    found = Questionnaire.objects.filter(token=token).select_related("inspectorate").first()
    if found is None:
        raise Http404("No such questionnaire.")
    child = found.respondent == "child"
    statements = [
        (key, texts[1] if child else texts[0]) for key, texts in criteria_for(found.stage).items()
    ]
    errors: list[str] = []
    scores: dict[str, Any] = {}
    if request.method == "POST":
        for key, _ in statements:
            score = whole_number(request.POST.get(key))
            if score is not None:
                scores[key] = score
        try:
            questionnaire_answer(
                questionnaire=found, scores=scores, comment=request.POST.get("comment", "")
            )
        except QualityRefused as exc:
            errors.append(str(exc))
        else:
            return render(request, "quality/thanks.html", {"questionnaire": found, "child": child})
    return render(
        request,
        "quality/questionnaire.html",
        {
            "questionnaire": found,
            # Each statement with the answer chosen, kept when the answers are refused.
            "statements": [(key, text, scores.get(key)) for key, text in statements],
            "agreement": AGREEMENT,
            "errors": errors,
            "comment": request.POST.get("comment", "") if errors else "",
            "child": child,
        },
        status=422 if errors else 200,
    )


@staff_required
def evaluation(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("quality.view_evaluation"):
        raise PermissionDenied
    rows = evaluation_summary()
    return render(request, "quality/evaluation.html", {"rows": rows})
