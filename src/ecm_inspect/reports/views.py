"""The public pages of published reports with their open data, and a review's report page
(drafting, the accuracy cycle, publication). The pages of a review's judgements are in
judgement_views.py."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.accounts.exports import csv_text, dict_rows
from ecm_inspect.core.files import stored_file_response
from ecm_inspect.reviews.models import NoMoreComments, Stage
from ecm_inspect.reviews.selectors import review_for_request
from ecm_inspect.reviews.services import ReviewRefused, no_more_comments_record

from .judgement_forms import whole_id
from .models import (
    AccuracyComment,
    ReportDraft,
)
from .selectors import (
    OPEN_DATA_FIELDS,
    area_publications_public,
    open_data_rows,
    publication_get_for_review,
    publication_get_public,
    publications_public,
)
from .services import (
    ReportRefused,
    comment_add,
    comment_decide,
    draft_changes,
    draft_circulate,
    draft_make,
    publication_pdf_print,
)


def _report_post(request: HttpRequest, review: Any, can_change: bool) -> str:
    """Do what the report page's form asked; returns what was done, for the success banner."""
    post, user = request.POST, cast(Any, request.user)
    action = post.get("action")
    latest = review.drafts.order_by("-number").first()
    if action == "no_more_comments":
        if not user.has_perm("reports.comment_draft", review):
            raise PermissionDenied
        no_more_comments_record(review=review, by=user)
        return "Recorded that the area has no more comments on the draft."
    if action in {"comment", "circulate"}:
        if not user.has_perm("reports.comment_draft", review):
            raise PermissionDenied
        if latest is None:
            raise ReportRefused("There is no draft yet.")
        if action == "circulate":
            draft_circulate(
                draft=latest, organisations=post.get("organisations", "").split("\n"), by=user
            )
        else:
            comment_add(
                draft=latest,
                paragraph=post.get("paragraph", ""),
                organisation=str(user.organisation),
                text=post.get("text", ""),
                by=user,
            )
        return "Recorded the circulation." if action == "circulate" else "Sent the comment."
    if not can_change:
        raise PermissionDenied
    if action == "draft":
        draft = draft_make(review=review, by=user)
        return f"Made draft {draft.number}."
    if action in {"accept", "reject"}:
        comment = AccuracyComment.objects.filter(
            draft__review=review, pk=whole_id(post.get("comment")) or 0
        ).first()
        if comment is None:
            raise Http404("No such comment.")
        comment_decide(
            comment=comment, accept=action == "accept", reason=post.get("reason", ""), by=user
        )
        return f"{'Accepted' if action == 'accept' else 'Rejected'} the comment."
    raise Http404("No such action.")


@staff_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, review_id: int) -> HttpResponse:
    """The drafts, what changed, the accuracy comments and their answers; for the area, the
    comment form and "We have no more comments" while comments are open. Publishing is the
    review's own move (its confirmation page), linked from here. A refusal comes back as an
    error summary with every reason and the typed input kept (422)."""
    review = review_for_request(request, review_id, "reports.view_draft")
    user: Any = request.user
    can_change = user.has_perm("reports.change_judgements", review)
    errors: list[str] = []
    if request.method == "POST":
        try:
            done = _report_post(request, review, can_change)
        except (ReportRefused, ReviewRefused) as exc:
            errors = exc.reasons
        else:
            messages.success(request, done)
            return redirect("reports:report", review.pk)
    drafts = list(review.drafts.select_related("made_by", "circulated_by"))
    latest = drafts[-1] if drafts else None
    comments = list(
        AccuracyComment.objects.filter(draft__review=review).select_related("draft", "author")
    )
    return render(
        request,
        "reports/report.html",
        {
            "review": review,
            "drafts": drafts,
            "latest": latest,
            "changes": draft_changes(drafts[-2], drafts[-1]) if len(drafts) >= 2 else [],
            "can_change": can_change,
            "can_comment": user.has_perm("reports.comment_draft", review),
            "comments": comments,
            "publication": publication_get_for_review(review=review),
            "comments_open": review.stage == Stage.DRAFT_SENT,
            "no_more_comments": NoMoreComments.objects.filter(review=review)
            .select_related("said_by")
            .first(),
            "can_publish": review.stage == Stage.FINDINGS_MEETING_HELD
            and user.has_perm("reviews.advance_review", review),
            "errors": errors,
            "post": request.POST if errors else {},
        },
        status=422 if errors else 200,
    )


@staff_required
@require_GET
def draft_compare(request: HttpRequest, review_id: int) -> HttpResponse:
    """Any two drafts compared paragraph by paragraph, word by word."""
    review = review_for_request(request, review_id, "reports.view_draft")
    drafts = {d.number: d for d in ReportDraft.objects.filter(review=review)}
    if len(drafts) < 2:
        raise Http404("There is only one draft.")
    newest = max(drafts)
    older = whole_id(request.GET.get("from")) or newest - 1
    newer = whole_id(request.GET.get("to")) or newest
    if older not in drafts or newer not in drafts:
        raise Http404("No such draft.")
    return render(
        request,
        "reports/compare.html",
        {
            "review": review,
            "numbers": sorted(drafts),
            "older": drafts[older],
            "newer": drafts[newer],
            "changes": draft_changes(drafts[older], drafts[newer]),
        },
    )


# -- the public pages ---------------------------------------------------------------------


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/published_list.html", {"items": publications_public()})


@require_GET
def area(request: HttpRequest, gss_code: str) -> HttpResponse:
    """An area's page: its latest published report in full, and any earlier ones."""
    found, items = area_publications_public(gss_code=gss_code)
    if not items:
        raise Http404(f"No joint area review of {found.name} has been published.")
    return render(
        request,
        "reports/published.html",
        {"publication": items[0], "earlier": items[1:], "area": found},
    )


@require_GET
def published(request: HttpRequest, review_id: int) -> HttpResponse:
    publication = publication_get_public(review_id=review_id)
    return render(
        request,
        "reports/published.html",
        {"publication": publication, "earlier": [], "area": publication.review.area},
    )


@require_GET
def published_children(request: HttpRequest, review_id: int) -> HttpResponse:
    return render(
        request,
        "reports/published_children.html",
        {"publication": publication_get_public(review_id=review_id)},
    )


@require_GET
def published_pdf(request: HttpRequest, review_id: int) -> HttpResponseBase:
    """The published report's PDF as printed at publication (or at its latest correction),
    served from storage."""
    publication = publication_get_public(review_id=review_id)
    if not publication.pdf:
        # Published before PDFs were kept, or its printing is still queued: print it now, once.
        publication_pdf_print(publication=publication)
    return stored_file_response(
        publication.pdf,
        filename=publication.pdf_filename,
        as_attachment=False,
        content_type="application/pdf",
    )


@require_GET
def open_data_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        csv_text(dict_rows(OPEN_DATA_FIELDS, open_data_rows())),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="jar-grades.csv"'
    return response


@require_GET
def open_data_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "schema": "docs/reports.md#open-data",
            "licence": "Open Government Licence v3.0",
            "fields": OPEN_DATA_FIELDS,
            "grades": open_data_rows(),
        },
        json_dumps_params={"indent": 1},
    )
