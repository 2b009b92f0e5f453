"""Pages of the team's fieldwork, all in its confidential area: a case file's readings, a
tracked child's journey and findings, a neighbourhood study, meetings and focus groups, and
withdrawing a finding. Every finding is recorded through one form (`finding_form_handle`)."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.reviews.models import Review
from ecm_inspect.reviews.selectors import review_for_request

from .fieldwork import (
    finding_record,
    finding_withdraw,
    findings_chart,
    findings_tally,
    journey_step_add,
    journey_waits,
    meeting_record,
    neighbourhood_describe,
    place_deprivation,
)
from .forms import FindingForm, JourneyStepForm, MeetingForm, NeighbourhoodForm, WithdrawForm
from .models import CaseFile, FieldworkFinding, FieldworkMeeting, NeighbourhoodStudy, TrackedChild
from .services import EvidenceRefused, PersonalDataFound

VIEW = "evidence.view_case_files"  # the team's confidential area
CHANGE = "evidence.change_case_files"


def _check(request: HttpRequest, review_id: int) -> Review:
    """The review, if the user is on its team and may record here."""
    review = review_for_request(request, review_id, VIEW)
    if request.method == "POST":
        review_for_request(request, review_id, CHANGE)
    return review


def finding_form_handle(
    request: HttpRequest, review: Review, target: dict[str, Any]
) -> tuple[FindingForm, list[Any], bool]:
    """The finding form on any fieldwork page: (form, flagged text, saved)."""
    wanted = request.method == "POST" and request.POST.get("action") == "finding"
    form = FindingForm(request.POST if wanted else None, prefix="finding")
    if not (wanted and form.is_valid()):
        return form, [], False
    data = form.cleaned_data
    try:
        finding = finding_record(
            review=review, found=data["found"], key_judgement_codes=form.codes(),
            indication=data["indication"], severity=data["severity"], found_on=data["found_on"],
            service=data["service"], aspect=data["aspect"],
            confirm_no_personal_data=data["confirm"], by=request.user, **target,
        )  # fmt: skip
    except PersonalDataFound as exc:
        form.add_error("found", str(exc))
        return form, exc.findings, False
    except EvidenceRefused as exc:
        message = str(exc)
        field = (
            "key_judgements" if "key judgement" in message
            else "severity" if "severity" in message or "serious" in message
            else "found_on" if "future" in message
            else None
        )  # fmt: skip
        form.add_error(field, message)
        return form, [], False
    messages.success(request, f"Recorded {finding.reference}; it is now evidence on "
                     f"{', '.join(k.code for k in finding.key_judgements.all())}.")  # fmt: skip
    return form, [], True


@staff_required
@require_http_methods(["GET", "POST"])
def case_file(request: HttpRequest, review_id: int, case_file_id: int) -> HttpResponse:
    """A case file in the sample: its readings (structured: which judgements, what was found,
    strength or weakness, how serious) and any earlier free notes."""
    review = _check(request, review_id)
    found = CaseFile.objects.filter(review=review, pk=case_file_id).first()
    if found is None:
        raise Http404("No such case file.")
    form, flagged, saved = finding_form_handle(request, review, {"case_file": found})
    if saved:
        return redirect("evidence:case-file", review.pk, found.pk)
    return render(
        request,
        "evidence/case_file.html",
        {
            "review": review,
            "case": found,
            "readings": found.readings.prefetch_related("key_judgements"),
            "notes": found.notes.all(),
            "finding_form": form,
            "flagged": flagged,
        },
        status=422 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def tracked_child(request: HttpRequest, review_id: int, child_id: int) -> HttpResponse:
    review = _check(request, review_id)
    child = TrackedChild.objects.filter(review=review, pk=child_id).first()
    if child is None:
        raise Http404("No such tracked child.")
    finding_form, flagged, saved = finding_form_handle(request, review, {"tracked_child": child})
    step_wanted = request.method == "POST" and request.POST.get("action") == "step"
    step_form = JourneyStepForm(request.POST if step_wanted else None, prefix="step")
    if step_wanted and step_form.is_valid():
        data = step_form.cleaned_data
        try:
            journey_step_add(
                child=child, on=data["on"], kind=data["kind"], service=data["service"],
                what_happened=data["what_happened"], confirm_no_personal_data=data["confirm"],
            )  # fmt: skip
        except PersonalDataFound as exc:
            flagged = exc.findings
            step_form.add_error("what_happened", str(exc))
        except EvidenceRefused as exc:
            step_form.add_error(None, str(exc))
        else:
            saved = True
            messages.success(request, "Added the step to the journey.")
    if saved:
        return redirect("evidence:tracked-child", review.pk, child.pk)
    steps = list(child.journey.all())
    waits = journey_waits(steps)
    return render(
        request,
        "evidence/tracked_child.html",
        {
            "review": review,
            "child": child,
            "steps": [(s, waits[n - 1] if n else None) for n, s in enumerate(steps)],
            "span": (steps[-1].on - steps[0].on).days if len(steps) > 1 else 0,
            "findings": child.findings.prefetch_related("key_judgements"),
            "finding_form": finding_form,
            "step_form": step_form,
            "flagged": flagged,
        },
        status=422 if finding_form.errors or step_form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def neighbourhood(request: HttpRequest, review_id: int, study_id: int) -> HttpResponse:
    review = _check(request, review_id)
    study = NeighbourhoodStudy.objects.filter(review=review, pk=study_id).first()
    if study is None:
        raise Http404("No such neighbourhood study.")
    finding_form, flagged, saved = finding_form_handle(request, review, {"neighbourhood": study})
    wanted = request.method == "POST" and request.POST.get("action") == "describe"
    initial = {
        "version": study.version, "name": study.name, "place_kind": study.place_kind,
        "lsoa_codes": " ".join(study.codes[1:]), "context": study.context,
        "provision": study.provision, "visits": study.visits, "discussions": study.discussions,
    }  # fmt: skip
    form = NeighbourhoodForm(request.POST if wanted else None, initial=initial, prefix="place")
    conflict = ""
    if wanted and form.is_valid():
        data = form.cleaned_data
        try:
            neighbourhood_describe(
                study=study, seen_version=data["version"], name=data["name"],
                place_kind=data["place_kind"], lsoa_codes=form.codes(), context=data["context"],
                provision=data["provision"], visits=data["visits"],
                discussions=data["discussions"], confirm_no_personal_data=data["confirm"],
                by=request.user,
            )  # fmt: skip
        except EditConflict as exc:
            conflict = str(exc)
        except PersonalDataFound as exc:
            flagged = exc.findings
            form.add_error("context", str(exc))
        except EvidenceRefused as exc:
            form.add_error("lsoa_codes" if "neighbourhoods of" in str(exc) else None, str(exc))
        else:
            saved = True
            messages.success(request, f"Saved the study of {data['name']}.")
    if saved:
        return redirect("evidence:neighbourhood", review.pk, study.pk)
    return render(
        request,
        "evidence/neighbourhood.html",
        {
            "review": review,
            "study": study,
            "deprivation": place_deprivation(study.codes),
            "findings": study.findings.prefetch_related("key_judgements"),
            "form": form,
            "finding_form": finding_form,
            "flagged": flagged,
            "conflict": conflict,
        },
        status=409 if conflict else (422 if form.errors or finding_form.errors else 200),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _check(request, review_id)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    flagged: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_record(
                review=review, kind=data["kind"], title=data["title"], held_on=data["held_on"],
                attendees=data["attendees"], group_slugs=data["groups"],
                under_eights=data["under_eights"], hard_to_reach=data["hard_to_reach"],
                notes=data["notes"], confirm_no_personal_data=data["confirm"], by=request.user,
            )  # fmt: skip
        except PersonalDataFound as exc:
            flagged = exc.findings
            form.add_error("notes", str(exc))
        except EvidenceRefused as exc:
            form.add_error("held_on" if "held" in str(exc) else None, str(exc))
        else:
            messages.success(request, f"Recorded the meeting: {meeting.title}.")
            return redirect("evidence:meeting", review.pk, meeting.pk)
    return render(
        request,
        "evidence/meetings.html",
        {
            "review": review,
            "meetings": FieldworkMeeting.objects.filter(review=review).prefetch_related(
                "vulnerable_groups", "findings"
            ),
            "form": form,
            "flagged": flagged,
        },
        status=422 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, review_id: int, meeting_id: int) -> HttpResponse:
    review = _check(request, review_id)
    found = FieldworkMeeting.objects.filter(review=review, pk=meeting_id).first()
    if found is None:
        raise Http404("No such meeting.")
    finding_form, flagged, saved = finding_form_handle(request, review, {"meeting": found})
    if saved:
        return redirect("evidence:meeting", review.pk, found.pk)
    return render(
        request,
        "evidence/meeting.html",
        {
            "review": review,
            "meeting": found,
            "findings": found.findings.prefetch_related("key_judgements"),
            "finding_form": finding_form,
            "flagged": flagged,
        },
        status=422 if finding_form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def finding_withdraw_view(request: HttpRequest, review_id: int, finding_id: int) -> HttpResponse:
    """Asks first: withdrawing takes the finding out of every judgement resting on it."""
    review = _check(request, review_id)
    finding = FieldworkFinding.objects.filter(review=review, pk=finding_id).first()
    if finding is None:
        raise Http404("No such finding.")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    back = finding.get_absolute_url()
    if request.method == "POST" and form.is_valid():
        try:
            finding_withdraw(finding=finding, confirmed=True)
        except EvidenceRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Withdrew {finding.reference}.")
            return redirect(back)
    resting = finding.evidence.judgements.count() if finding.evidence else 0
    return render(
        request,
        "evidence/finding_withdraw.html",
        {"review": review, "finding": finding, "form": form, "back": back, "resting": resting},
        status=422 if form.errors else 200,
    )


@staff_required
def findings(request: HttpRequest, review_id: int) -> HttpResponse:
    """Every fieldwork finding of the review, by outcome, for the team (and its leader
    moderating): a chart of which way they point, and the findings, filtered by key judgement
    with `?kj=SS.4`."""
    review = _check(request, review_id)
    tallies = findings_tally(review)
    wanted = request.GET.get("kj", "").strip().upper()
    shown = FieldworkFinding.objects.filter(review=review).prefetch_related("key_judgements")
    if wanted:
        shown = shown.filter(key_judgements__code=wanted).distinct()
    return render(
        request,
        "evidence/findings.html",
        {
            "review": review,
            "tallies": tallies,
            "chart": findings_chart(tallies),
            "findings": shown.order_by("-found_on", "-pk"),
            "kj": wanted,
        },
    )
