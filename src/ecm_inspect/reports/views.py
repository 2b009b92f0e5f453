"""Pages of a review's judgements and report (for the team and, in the accuracy cycle, the
area), and the public pages of published reports with their open data."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ecm_inspect.accounts.concurrency import EditConflict
from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.accounts.exports import csv_text, dict_rows
from ecm_inspect.accounts.inputs import MAX_ID, whole_number
from ecm_inspect.evidence.models import EvidenceItem
from ecm_inspect.reviews.models import NoMoreComments, Stage
from ecm_inspect.reviews.selectors import review_get_for_user
from ecm_inspect.reviews.services import ReviewRefused, no_more_comments_record

from .document import render_pdf
from .models import AccuracyComment, GapKind, Priority, ReportDraft, ReviewJudgement
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
    gap_record,
    group_statements,
    is_signed_off,
    judgement_record,
    judgement_sign_off,
    judgements_propose,
    recommendation_add,
)


def _review(request: HttpRequest, review_id: int, perm: str) -> Any:
    review = review_get_for_user(user=request.user, review_id=review_id)
    if not request.user.has_perm(perm, review):
        raise PermissionDenied
    return review


def _int(value: str | None) -> int | None:
    return whole_number(value, high=MAX_ID)


def _judgements_post(request: HttpRequest, review: Any) -> None:
    post, user = request.POST, request.user
    action = post.get("action")
    if action == "propose":
        judgements_propose(review=review)
    elif action == "gap":
        gap_record(
            review=review,
            kind=post.get("kind", ""),
            service=post.get("service", ""),
            description=post.get("description", ""),
            how_managed=post.get("how_managed", ""),
            by=user,
        )
    elif action == "recommendation":
        recommendation_add(
            review=review,
            text=post.get("text", ""),
            body=post.get("body", ""),
            priority=post.get("priority", ""),
            by=user,
        )
    else:
        found = ReviewJudgement.objects.filter(
            review=review, pk=_int(post.get("judgement")) or 0
        ).first()
        if found is None:
            raise Http404("No such judgement.")
        if action == "sign_off":
            judgement_sign_off(judgement=found, by=user)
        else:
            judgement_record(
                judgement=found,
                grade=_int(post.get("grade")),
                finding=post.get("finding", ""),
                rationale=post.get("rationale", ""),
                statement_findings={
                    s.code: post.get(f"statement-{s.code}", "") for s in group_statements(found)
                },
                evidence_ids=[i for i in map(_int, post.getlist("evidence")) if i is not None],
                seen_version=_int(post.get("version")) or 0,
                by=user,
            )


@staff_required
@require_http_methods(["GET", "POST"])
def judgements(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id, "reports.view_judgements")
    can_change = request.user.has_perm("reports.change_judgements", review)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        try:
            _judgements_post(request, review)
        except (ReportRefused, EditConflict) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Saved.")
        return redirect("reports:judgements", review.pk)
    rows = [
        (j, is_signed_off(j), group_statements(j))
        for j in ReviewJudgement.objects.filter(review=review)
        .select_related("recorded_by", "signed_off_by")
        .prefetch_related("evidence")
    ]
    return render(
        request,
        "reports/judgements.html",
        {
            "review": review,
            "rows": rows,
            "can_change": can_change,
            "evidence": EvidenceItem.objects.filter(review=review).order_by("title"),
            "gaps": review.gaps.order_by("pk"),
            "recommendations": review.recommendations.all(),
            "gap_kinds": GapKind.choices,
            "priorities": Priority.choices,
        },
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
            draft__review=review, pk=_int(post.get("comment")) or 0
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
    review = _review(request, review_id, "reports.view_draft")
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
    review = _review(request, review_id, "reports.view_draft")
    drafts = {d.number: d for d in ReportDraft.objects.filter(review=review)}
    if len(drafts) < 2:
        raise Http404("There is only one draft.")
    newest = max(drafts)
    older = _int(request.GET.get("from")) or newest - 1
    newer = _int(request.GET.get("to")) or newest
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
def published_pdf(request: HttpRequest, review_id: int) -> HttpResponse:
    publication = publication_get_public(review_id=review_id)
    pdf = render_pdf(publication.html, f"Joint area review of {publication.review.area.name}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="joint-area-review-{publication.review.area.gss_code}.pdf"'
    )
    return response


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
