"""Pages of a review's judgements and report (for the team and, in the accuracy cycle, the
area), and the public pages of published reports with their open data."""

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ecm_inspect.accounts.concurrency import EditConflict
from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.evidence.models import EvidenceItem
from ecm_inspect.reviews.selectors import review_get_for_user

from .models import AccuracyComment, Publication, ReviewJudgement
from .services import (
    ReportRefused,
    comment_add,
    comment_decide,
    draft_diff,
    draft_make,
    is_signed_off,
    judgement_record,
    judgement_sign_off,
    judgements_propose,
    publication_make,
    render_pdf,
)


def _review(request: HttpRequest, review_id: int, perm: str) -> Any:
    review = review_get_for_user(user=request.user, review_id=review_id)
    if not request.user.has_perm(perm, review):
        raise PermissionDenied
    return review


@staff_required
@require_http_methods(["GET", "POST"])
def judgements(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id, "reports.view_judgements")
    can_change = request.user.has_perm("reports.change_judgements", review)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "propose":
                judgements_propose(review=review)
            else:
                found = ReviewJudgement.objects.filter(
                    review=review, pk=request.POST.get("judgement") or 0
                ).first()
                if found is None:
                    raise Http404("No such judgement.")
                if action == "sign_off":
                    judgement_sign_off(judgement=found, by=request.user)
                else:
                    grade = request.POST.get("grade", "")
                    judgement_record(
                        judgement=found,
                        grade=int(grade) if grade.isdigit() else None,
                        finding=request.POST.get("finding", ""),
                        rationale=request.POST.get("rationale", ""),
                        evidence_ids=[
                            int(i) for i in request.POST.getlist("evidence") if i.isdigit()
                        ],
                        seen_version=int(request.POST.get("version", "0") or 0),
                        by=request.user,
                    )
        except (ReportRefused, EditConflict) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Saved.")
        return redirect("reports:judgements", review.pk)
    rows = [
        (j, is_signed_off(j))
        for j in ReviewJudgement.objects.filter(review=review).prefetch_related("evidence")
    ]
    return render(
        request,
        "reports/judgements.html",
        {
            "review": review,
            "rows": rows,
            "can_change": can_change,
            "evidence": EvidenceItem.objects.filter(review=review).order_by("title"),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id, "reports.view_draft")
    user: Any = request.user
    can_change = user.has_perm("reports.change_judgements", review)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "comment":
                if not user.has_perm("reports.comment_draft", review):
                    raise PermissionDenied
                draft = review.drafts.last()
                if draft is None:
                    raise ReportRefused("There is no draft to comment on.")
                comment_add(
                    draft=draft,
                    paragraph=request.POST.get("paragraph", ""),
                    organisation=str(user.organisation),
                    text=request.POST.get("text", ""),
                    by=user,
                )
            elif not can_change:
                raise PermissionDenied
            elif action == "draft":
                draft_make(review=review, by=user)
            elif action in {"accept", "reject"}:
                comment = AccuracyComment.objects.filter(
                    draft__review=review, pk=request.POST.get("comment") or 0
                ).first()
                if comment is None:
                    raise Http404("No such comment.")
                comment_decide(
                    comment=comment,
                    accept=action == "accept",
                    reason=request.POST.get("reason", ""),
                    by=user,
                )
            elif action == "publish":
                publication_make(review=review, by=user)
        except ReportRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Saved.")
        return redirect("reports:report", review.pk)
    drafts = list(review.drafts.all())
    diff: list[str] = []
    if len(drafts) >= 2:
        diff = draft_diff(drafts[-2], drafts[-1])
    return render(
        request,
        "reports/report.html",
        {
            "review": review,
            "drafts": drafts,
            "latest": drafts[-1] if drafts else None,
            "diff": diff,
            "can_change": can_change,
            "can_comment": user.has_perm("reports.comment_draft", review),
            "comments": AccuracyComment.objects.filter(draft__review=review),
            "publication": Publication.objects.filter(review=review).first(),
        },
    )


# -- the public pages ---------------------------------------------------------------------


def _published(review_id: int) -> Publication:
    found = Publication.objects.filter(review_id=review_id).select_related("review__area").first()
    if found is None:
        raise Http404("No published report.")
    return found


def published_list(request: HttpRequest) -> HttpResponse:
    items = Publication.objects.select_related("review__area").order_by("-published_on")
    return render(request, "reports/published_list.html", {"items": items})


def published(request: HttpRequest, review_id: int) -> HttpResponse:
    return render(request, "reports/published.html", {"publication": _published(review_id)})


def published_children(request: HttpRequest, review_id: int) -> HttpResponse:
    return render(
        request, "reports/published_children.html", {"publication": _published(review_id)}
    )


def published_pdf(request: HttpRequest, review_id: int) -> HttpResponse:
    publication = _published(review_id)
    pdf = render_pdf(publication.html, f"Joint area review of {publication.review.area.name}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="jar-{publication.review.area.gss_code}.pdf"'
    )
    return response


OPEN_DATA_FIELDS = ["area_gss_code", "area", "published_on", "judgement", "grade"]


def _open_rows() -> list[dict[str, Any]]:
    rows = []
    for p in Publication.objects.select_related("review__area").order_by("published_on"):
        for code, grade in sorted(p.grades.items()):
            rows.append(
                {
                    "area_gss_code": p.review.area.gss_code,
                    "area": p.review.area.name,
                    "published_on": p.published_on.isoformat(),
                    "judgement": code,
                    "grade": grade,
                }
            )
    return rows


def open_data_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jar-grades.csv"'
    writer = csv.DictWriter(response, fieldnames=OPEN_DATA_FIELDS)
    writer.writeheader()
    writer.writerows(_open_rows())
    return response


def open_data_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"schema": "docs/reports.md#open-data", "grades": _open_rows()},
        json_dumps_params={"indent": 1},
    )
