"""Pages of a review's evidence base, analysis, fieldwork specification, requests to the area,
case files (the team's confidential area), neighbourhoods and tracked children."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_http_methods, require_POST

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.accounts.exports import csv_text
from ecm_inspect.core.concurrency import EditConflict, record_update
from ecm_inspect.core.files import stored_file_response
from ecm_inspect.core.inputs import whole_number
from ecm_inspect.reviews.models import Review
from ecm_inspect.reviews.selectors import review_for_request

from .analysis import agreed_share, analysis_run
from .case_files import CaseListRefused, case_files_import, case_sample_draw, child_track
from .case_list import MAX_CASE_LIST_ROWS
from .contributions import expected_evidence
from .fieldwork import fieldwork_done
from .forms import (
    AttachmentForm,
    CaseListForm,
    EvidenceForm,
    HypothesisForm,
    RequestForm,
    SampleForm,
    SupplyForm,
    _codes,
)
from .models import (
    Attachment,
    CaseFile,
    EvidenceItem,
    EvidenceRequest,
    JudgementAnalysis,
    NeighbourhoodStudy,
    Origin,
    TrackedChild,
)
from .neighbourhoods import neighbourhood_study_add, neighbourhoods_suggest
from .pulling import evidence_pull
from .services import (
    EvidenceRefused,
    PersonalDataFound,
    attachment_add,
    evidence_record,
    request_accept,
    request_make,
    request_supply,
)
from .specification import fieldwork_specification


def _can(request: HttpRequest, perm: str, review: Review) -> bool:
    return bool(request.user.has_perm(perm, review))


@staff_required
@require_http_methods(["GET", "POST"])
def evidence_list(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "evidence.view_evidence")
    form = EvidenceForm(request.POST or None)
    flagged: list[Any] = []
    if request.method == "POST":
        if not _can(request, "evidence.change_evidence", review):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = evidence_record(
                    review=review, kind=data["kind"], title=data["title"], source=data["source"],
                    dated=data["dated"], key_judgement_codes=_codes(data["key_judgements"]),
                    grade=data["grade"], indication=data["indication"], summary=data["summary"],
                    confirm_no_personal_data=data["confirm"], by=request.user,
                )  # fmt: skip
            except PersonalDataFound as exc:
                flagged = exc.findings
                form.add_error("summary", str(exc))
            except EvidenceRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Recorded: {item.title}.")
                return redirect("evidence:list", review.pk)
    items = EvidenceItem.objects.filter(review=review).prefetch_related("key_judgements")
    return render(
        request,
        "evidence/list.html",
        {
            "review": review,
            "items": items,
            "form": form,
            "flagged": flagged,
            "can_change": _can(request, "evidence.change_evidence", review),
        },
        status=422 if form.errors else 200,
    )


@staff_required
@require_POST
def evidence_pull_view(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "evidence.change_evidence")
    created = evidence_pull(review=review)
    messages.success(request, f"Pulled in {created} new evidence item{pluralize(created)}.")
    return redirect("evidence:list", review.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def evidence_detail(request: HttpRequest, review_id: int, item_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "evidence.view_evidence")
    item = EvidenceItem.objects.filter(review=review, pk=item_id).first()
    if item is None:
        raise Http404("No such evidence.")
    form = AttachmentForm(request.POST or None, request.FILES or None)
    fieldwork = item.origin == Origin.FIELDWORK
    if request.method == "POST":
        if not _can(request, "evidence.change_evidence", review):
            raise PermissionDenied
        if fieldwork:  # files of fieldwork stay with the finding, in the confidential area
            form.add_error("file", "A fieldwork finding's evidence takes no files.")
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                attachment = attachment_add(
                    item=item, name=upload.name, content=upload, by=request.user
                )
            except EvidenceRefused as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, f"Stored {attachment}.")
                return redirect("evidence:detail", review.pk, item.pk)
    return render(
        request,
        "evidence/detail.html",
        {
            "review": review,
            "item": item,
            "form": form,
            "can_change": _can(request, "evidence.change_evidence", review) and not fieldwork,
            "finding": getattr(item, "fieldwork_finding", None)
            if fieldwork and _can(request, "evidence.view_case_files", review)
            else None,
        },
        status=400 if form.errors else 200,
    )


@staff_required
def attachment_download(
    request: HttpRequest, review_id: int, item_id: int, attachment_id: int
) -> HttpResponseBase:
    review = review_for_request(request, review_id, "evidence.view_evidence")
    attachment = Attachment.objects.filter(
        pk=attachment_id, item_id=item_id, item__review=review
    ).first()
    if attachment is None:
        raise Http404("No such file.")
    response = stored_file_response(attachment.file, filename=attachment.name)
    response["X-Content-SHA256"] = attachment.sha256
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def analysis(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "evidence.view_evidence")
    conflict = None
    if request.method == "POST":
        if not _can(request, "evidence.change_evidence", review):
            raise PermissionDenied
        if request.POST.get("run"):
            analysis_run(review=review)
            messages.success(request, "The analysis has been run again on the evidence.")
            return redirect("evidence:analysis", review.pk)
        form = HypothesisForm(request.POST)
        if form.is_valid():
            found = JudgementAnalysis.objects.filter(
                review=review, key_judgement__code=form.cleaned_data["key_judgement"]
            ).first()
            if found is None:
                raise Http404("No such judgement in the analysis.")
            try:
                record_update(
                    record=found,
                    seen_version=form.cleaned_data["version"],
                    changes={
                        "hypothesis": form.cleaned_data["hypothesis"],
                        "hypothesis_edited": True,
                    },
                    by=request.user,
                )
            except EditConflict as exc:
                conflict = str(exc)
            else:
                messages.success(request, "Saved the hypothesis.")
                return redirect("evidence:analysis", review.pk)
    if not JudgementAnalysis.objects.filter(review=review).exists():
        analysis_run(review=review)
    rows = list(
        JudgementAnalysis.objects.filter(review=review).select_related("key_judgement__outcome")
    )
    items = list(EvidenceItem.objects.filter(review=review).prefetch_related("key_judgements"))
    evidence: dict[int, list[EvidenceItem]] = {}
    for item in items:
        for kj in item.key_judgements.all():
            evidence.setdefault(kj.pk, []).append(item)
    expected = expected_evidence(review=review, items=items)
    share = agreed_share(rows)
    return render(
        request,
        "evidence/analysis.html",
        {
            "review": review,
            "rows": [
                (a, evidence.get(a.key_judgement_id, []), expected.get(a.key_judgement.code))
                for a in rows
            ],
            "can_change": _can(request, "evidence.change_evidence", review),
            "conflict": conflict,
            "share": share,
            "agreed": share.agreed,
            "fieldwork": share.total - share.agreed,
        },
        status=409 if conflict else 200,
    )


@staff_required
def analysis_csv(request: HttpRequest, review_id: int) -> HttpResponse:
    """The analysis exported: judgements, status, reasons, hypotheses. Never case-file notes."""
    review = review_for_request(request, review_id, "evidence.view_evidence")
    analyses = list(JudgementAnalysis.objects.filter(review=review).select_related("key_judgement"))
    expected = expected_evidence(review=review)
    rows: list[list[Any]] = [
        ["key judgement", "status", "proposed grade", "reasons", "missing expected sources",
         "hypothesis"]
    ]  # fmt: skip
    for a in analyses:
        wanted = expected.get(a.key_judgement.code)
        missing = "; ".join(f"{s.kind} ({s.providers})" for s in wanted.missing) if wanted else ""
        rows.append(
            [a.key_judgement.code, a.get_status_display(), a.proposed_grade,
             " ".join(a.reasons), missing, a.hypothesis]
        )  # fmt: skip
    rows.append([str(agreed_share(analyses))])
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="analysis-review-{review.pk}.csv"'
    return response


@staff_required
def specification(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "evidence.view_evidence")
    if not JudgementAnalysis.objects.filter(review=review).exists():
        analysis_run(review=review)
    spec, done = fieldwork_specification(review=review), fieldwork_done(review)
    for issue in spec.issues:  # how many findings bear on each of its judgements so far
        issue["findings"] = [(c, done.findings_by_judgement.get(c, 0)) for c in issue["judgements"]]
    return render(
        request,
        "evidence/specification.html",
        {"review": review, "spec": spec, "done": done},
    )


def _requests_page(
    request: HttpRequest,
    review: Review,
    form: RequestForm,
    supply_form: SupplyForm | None = None,
    supplying: int | None = None,
) -> HttpResponse:
    """The requests page; with a supply form that was refused, its errors beside its request."""
    return render(
        request,
        "evidence/requests.html",
        {
            "review": review,
            "items": EvidenceRequest.objects.filter(review=review),
            "form": form,
            "supply_form": supply_form or SupplyForm(),
            "supplying": supplying,
            "can_ask": _can(request, "evidence.change_evidence", review),
            "can_supply": _can(request, "evidence.supply_request", review),
        },
        status=400 if supply_form is not None else (422 if form.errors else 200),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "evidence.view_requests")
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        if not _can(request, "evidence.change_evidence", review):
            raise PermissionDenied
        if form.is_valid():
            try:
                request_make(review=review, by=request.user, **form.cleaned_data)
            except EvidenceRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Asked the area.")
                return redirect("evidence:requests", review.pk)
    return _requests_page(request, review, form)


@staff_required
@require_POST
def request_answer(
    request: HttpRequest, review_id: int, request_id: int, action: str
) -> HttpResponse:
    review = review_for_request(request, review_id, "evidence.view_requests")
    found = EvidenceRequest.objects.filter(review=review, pk=request_id).first()
    if found is None:
        raise Http404("No such request.")
    if action == "supply":
        if not _can(request, "evidence.supply_request", review):
            raise PermissionDenied
        form = SupplyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                request_supply(
                    request=found, title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"], dated=form.cleaned_data["dated"],
                    content=upload, filename=upload.name if upload else "", by=request.user,
                )  # fmt: skip
            except EvidenceRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Supplied: {form.cleaned_data['title']}.")
                return redirect("evidence:requests", review.pk)
        return _requests_page(request, review, RequestForm(), form, found.pk)
    if not _can(request, "evidence.change_evidence", review):
        raise PermissionDenied
    try:
        request_accept(request=found, by=request.user)
    except EvidenceRefused as exc:
        messages.error(request, str(exc))
    return redirect("evidence:requests", review.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def case_files(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "evidence.view_case_files")
    list_form = CaseListForm(None)
    sample_form = SampleForm(None)
    if request.method == "POST":
        if request.POST.get("action") == "list" or "file" in request.FILES:
            list_form = CaseListForm(request.POST, request.FILES)
            if list_form.is_valid():
                upload = list_form.cleaned_data["file"]
                try:
                    count = case_files_import(
                        review=review,
                        text=upload.read(),
                        name=str(upload.name or "The list"),
                        replace_with_empty=list_form.cleaned_data["replace_with_empty"],
                    )
                except CaseListRefused as exc:
                    list_form.add_error(exc.field, str(exc))
                else:
                    messages.success(request, f"Received a list of {count:,} children.")
                    return redirect("evidence:case-files", review.pk)
        else:
            sample_form = SampleForm(request.POST)
            if sample_form.is_valid():
                try:
                    chosen = case_sample_draw(
                        review=review,
                        size=sample_form.cleaned_data["size"],
                        seed=sample_form.cleaned_data["seed"],
                    )
                except EvidenceRefused as exc:
                    sample_form.add_error(None, str(exc))
                else:
                    messages.success(request, f"Drew a sample of {len(chosen)} case files.")
                    return redirect("evidence:case-files", review.pk)
    files = CaseFile.objects.filter(review=review)
    return render(
        request,
        "evidence/case_files.html",
        {
            "review": review,
            "sample": files.filter(in_sample=True),
            "total": files.count(),
            "list_form": list_form,
            "sample_form": sample_form,
            "max_rows": f"{MAX_CASE_LIST_ROWS:,}",
        },
        status=400 if list_form.errors or sample_form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def neighbourhoods(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "evidence.view_case_files")
    if request.method == "POST":
        if not _can(request, "evidence.change_case_files", review):
            raise PermissionDenied
        try:
            neighbourhood_study_add(
                review=review, lsoa_code=request.POST.get("lsoa_code", ""),
                why_chosen=request.POST.get("why", ""), by=request.user,
            )  # fmt: skip
        except EvidenceRefused as exc:
            messages.error(request, str(exc))
        return redirect("evidence:neighbourhoods", review.pk)
    return render(
        request,
        "evidence/neighbourhoods.html",
        {
            "review": review,
            "chosen": NeighbourhoodStudy.objects.filter(review=review),
            "suggested": neighbourhoods_suggest(area=review.area, count=4),
            "can_change": _can(request, "evidence.change_case_files", review),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def tracked_children(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for_request(request, review_id, "evidence.view_case_files")
    error = ""
    if request.method == "POST":
        case = CaseFile.objects.filter(
            review=review, pk=whole_number(request.POST.get("case_file")) or 0
        ).first()
        try:
            child_track(
                review=review,
                case_file=case,
                summary=request.POST.get("summary", ""),
                by=request.user,
            )
        except (EvidenceRefused, PersonalDataFound) as exc:
            # The form again, with the reason beside it and what was typed kept.
            error = str(exc)
        else:
            return redirect("evidence:tracked-children", review.pk)
    return render(
        request,
        "evidence/tracked_children.html",
        {
            "review": review,
            "children": TrackedChild.objects.filter(review=review).prefetch_related(
                "journey", "findings"
            ),
            "sample": CaseFile.objects.filter(review=review, in_sample=True),
            "error": error,
            "typed_case_file": request.POST.get("case_file", "") if error else "",
            "typed_summary": request.POST.get("summary", "") if error else "",
        },
        status=422 if error else 200,
    )
