"""The pages of a review's judgements: the index of outcomes and their leads, each outcome's
(or part's) key judgements drafted by its lead and moderated by the team leader, the leads,
the gaps, and corrections after publication."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.selectors import descriptor_set_in_force, descriptors_for
from ecm_inspect.reviews.selectors import review_for_request

from .judgement_forms import (
    judgement_record_from_post,
    judgement_row_bind,
    judgement_rows,
    whole_id,
)
from .models import (
    GapKind,
    Level,
    OutcomeLead,
    Priority,
    ReviewJudgement,
)
from .services import (
    ReportRefused,
    erratum_check,
    erratum_record,
    gap_record,
    is_read_only,
    judgement_return,
    judgement_sign_off,
    judgement_status,
    judgements_propose,
    judgements_sign_off_all,
    outcome_lead_set,
    recommendation_add,
)

PARTS = {
    "groups": ("Vulnerable groups", [Level.GROUP]),
    "management": (
        "Service management and capacity to improve",
        [Level.ASPECT, Level.SERVICE_MANAGEMENT, Level.CAPACITY],
    ),
}


def _outcome_titles(review: Any) -> dict[str, str]:
    return dict(
        ReviewJudgement.objects.filter(review=review, level=Level.OUTCOME).values_list(
            "code", "title"
        )
    )


def _counts(js: list[ReviewJudgement]) -> dict[str, int]:
    out = {"drafted": 0, "returned": 0, "signed_off": 0, "not_judged": 0, "to_do": 0}
    for j in js:
        status = judgement_status(j)
        out["drafted" if status == "changed" else status] += 1
        out["not_judged"] += int(j.not_judged)
    return out


@staff_required
@require_http_methods(["GET", "POST"])
def judgements(request: HttpRequest, review_id: int) -> HttpResponse:
    """The index: each outcome with its lead and how far its judgements have got, and the
    other pages of judgements."""
    review = review_for_request(request, review_id, "reports.view_judgements")
    user: Any = request.user
    can_change = user.has_perm("reports.change_judgements", review)
    if request.method == "POST":
        if not can_change or is_read_only(review):
            raise PermissionDenied
        judgements_propose(review=review)
        messages.success(request, "Grades proposed from the evidence.")
        return redirect("reports:judgements", review.pk)
    all_j = list(ReviewJudgement.objects.filter(review=review).prefetch_related("evidence"))
    leads = {
        lead.outcome_code: lead.member
        for lead in OutcomeLead.objects.filter(review=review).select_related("member__inspector")
    }
    outcomes = [
        {
            "code": j.code,
            "title": j.title,
            "lead": leads.get(j.code),
            "counts": _counts([x for x in all_j if x.outcome_code == j.code]),
        }
        for j in all_j
        if j.level == Level.OUTCOME
    ]
    parts = [
        {
            "code": code,
            "title": title,
            "lead": leads.get(code),
            "counts": _counts([x for x in all_j if x.level in levels]),
        }
        for code, (title, levels) in PARTS.items()
    ]
    return render(
        request,
        "reports/judgements.html",
        {
            "review": review,
            "outcomes": outcomes,
            "parts": parts,
            "can_change": can_change,
            "read_only": is_read_only(review),
            "can_assign": user.has_perm("reports.assign_outcome_leads", review),
            "errata": review.errata.select_related("judgement"),
        },
    )


def _part_judgements(review: Any, part: str) -> tuple[str, list[ReviewJudgement]]:
    """The title and judgements of one part of a review's judgements: an outcome (its key
    judgements and grade), the vulnerable groups, or service management and capacity."""
    found = ReviewJudgement.objects.filter(review=review)
    if part in PARTS:
        title, levels = PARTS[part]
        found = found.filter(level__in=levels)
    else:
        outcome = found.filter(level=Level.OUTCOME, code=part).first()
        if outcome is None:
            raise Http404("No such outcome in this review.")
        title = f"{outcome.code}: {outcome.title}"
        found = found.filter(
            Q(level=Level.KEY_JUDGEMENT, code__startswith=f"{part}.") | Q(pk=outcome.pk)
        )
    js = list(
        found.select_related("recorded_by", "signed_off_by", "returned_by").prefetch_related(
            "evidence"
        )
    )
    return title, js


def _part_post(
    request: HttpRequest, review: Any, part: str, js: list[ReviewJudgement], can_moderate: bool
) -> HttpResponse | dict[str, Any]:
    """Do what a part's form asked (sign off all, sign off, return or record one judgement):
    the redirect when done, or the errors to show on the page."""
    user: Any = request.user
    action = request.POST.get("action", "record")
    j = None
    try:
        if action == "sign_off_all":
            if not can_moderate:
                raise PermissionDenied
            seen = {
                x.pk: request.POST.get(f"seen-{x.pk}", "")
                for x in js
                if request.POST.get(f"seen-{x.pk}")
            }
            count = judgements_sign_off_all(judgements=js, seen=seen, by=user)
            messages.success(request, f"{count} judgement{pluralize(count)} signed off.")
            return redirect("reports:judgements-part", review.pk, part)
        j = next((x for x in js if x.pk == whole_id(request.POST.get("judgement"))), None)
        if j is None:
            raise Http404("No such judgement on this page.")
        if action == "sign_off":
            if not can_moderate:
                raise PermissionDenied
            judgement_sign_off(judgement=j, by=user)
            done = f"{j.code} signed off."
        elif action == "return":
            if not can_moderate:
                raise PermissionDenied
            judgement_return(judgement=j, comment=request.POST.get("comment", ""), by=user)
            done = f"{j.code} returned to its drafter."
        else:
            if not user.has_perm("reports.draft_judgement", j):
                raise PermissionDenied
            judgement_record_from_post(request.POST, j, user)
            done = f"{j.code} saved as a draft."
    except (ReportRefused, EditConflict) as exc:
        return {
            "pk": j.pk if j else None,
            "action": action,
            "reasons": getattr(exc, "reasons", [str(exc)]),
            "fields": getattr(exc, "fields", {}),
            "posted": request.POST,
            "chosen": {i for i in map(whole_id, request.POST.getlist("evidence")) if i},
        }
    messages.success(request, done)
    return redirect(reverse("reports:judgements-part", args=[review.pk, part]) + f"#j-{j.code}")


def _error_links(errors: dict[str, Any]) -> list[tuple[str, str]]:
    """Each reason in the error summary with the id of the field it is about."""
    pk = errors.get("pk")
    anchors = {
        "grade": f"choice-{pk}",
        "not_judged_reason": f"njr-{pk}",
        "finding": f"finding-{pk}",
        "rationale": f"rationale-{pk}",
        "statements": f"statements-{pk}",
        "evidence": f"evidence-{pk}",
        "comment": f"comment-{pk}",
    }
    by_text = {text: field for field, text in errors["fields"].items()}
    return [
        (
            text,
            anchors.get(by_text.get(text, ""), "")
            or (
                f"er-{pk}-{by_text[text].rsplit('-', 1)[-1]}"
                if by_text.get(text, "").startswith("evidence-reason-")
                else "main-content"
            ),
        )
        for text in errors["reasons"]
    ]


@staff_required
@require_http_methods(["GET", "POST"])
def judgements_part(request: HttpRequest, review_id: int, part: str) -> HttpResponse:
    """One outcome's key judgements and grade (or the vulnerable groups, or service management
    and capacity): drafted by the outcome's lead, moderated by the team leader."""
    review = review_for_request(request, review_id, "reports.view_judgements")
    user: Any = request.user
    title, js = _part_judgements(review, part)
    read_only = is_read_only(review)
    can_moderate = user.has_perm("reports.sign_off_judgements", review) and not read_only
    errors: dict[str, Any] = {}
    if request.method == "POST":
        if read_only:
            raise PermissionDenied
        done = _part_post(request, review, part, js, can_moderate)
        if not isinstance(done, dict):
            return done
        errors = done
    q = request.GET.get("q", "").strip()[:100]
    rows = judgement_rows(js, q)
    descriptors = descriptors_for(review.framework_code)
    descriptor_set = descriptor_set_in_force(framework_code=review.framework_code)
    for row in rows:
        row["may_draft"] = not read_only and user.has_perm("reports.draft_judgement", row["j"])
        row["descriptors"] = descriptors.get(row["j"].code, {})
        row["descriptor_set"] = descriptor_set
        row["errors"] = errors if errors.get("pk") == row["j"].pk else {}
        judgement_row_bind(row)
    if errors:
        errors["links"] = _error_links(errors)
    return render(
        request,
        "reports/judgements_part.html",
        {
            "review": review,
            "part": part,
            "title": title,
            "rows": rows,
            "q": q,
            "grades": sorted(Grade.choices, reverse=True),
            "read_only": read_only,
            "can_moderate": can_moderate,
            "can_correct": read_only and user.has_perm("reports.correct_judgements", review),
            "bulk": [r for r in rows if r["bulk"]],
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def judgement_leads(request: HttpRequest, review_id: int) -> HttpResponse:
    """The team leader assigns each outcome a lead from the team."""
    review = review_for_request(request, review_id, "reports.view_judgements")
    user: Any = request.user
    can_assign = user.has_perm("reports.assign_outcome_leads", review)
    members = list(review.team.select_related("inspector"))
    outcomes = {
        **_outcome_titles(review),
        **{code: title for code, (title, _) in PARTS.items()},
    }
    error = ""
    if request.method == "POST":
        if not can_assign or is_read_only(review):
            raise PermissionDenied
        code = request.POST.get("outcome", "")
        member = next((m for m in members if m.pk == whole_id(request.POST.get("member"))), None)
        if code not in outcomes:
            raise Http404("No such outcome in this review.")
        if member is None and request.POST.get("member"):
            error = "Choose a member of this review's team."
        else:
            outcome_lead_set(review=review, outcome_code=code, member=member, by=user)
            who = f"led by {member.inspector}" if member else "drafted by the team leader"
            messages.success(request, f"{code}: {who}.")
            return redirect("reports:judgement-leads", review.pk)
    leads = dict(OutcomeLead.objects.filter(review=review).values_list("outcome_code", "member_id"))
    return render(
        request,
        "reports/judgement_leads.html",
        {
            "review": review,
            "rows": [(code, title, leads.get(code)) for code, title in outcomes.items()],
            "members": members,
            "can_assign": can_assign and not is_read_only(review),
            "error": error,
        },
        status=422 if error else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def judgements_gaps(request: HttpRequest, review_id: int) -> HttpResponse:
    """Gaps, failures and very good services, and the recommendations."""
    review = review_for_request(request, review_id, "reports.view_judgements")
    user: Any = request.user
    can_change = user.has_perm("reports.change_judgements", review) and not is_read_only(review)
    refused: list[str] = []
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        post = request.POST
        try:
            if post.get("action") == "gap":
                gap_record(
                    review=review,
                    kind=post.get("kind", ""),
                    service=post.get("service", ""),
                    description=post.get("description", ""),
                    how_managed=post.get("how_managed", ""),
                    by=user,
                )
            else:
                recommendation_add(
                    review=review,
                    text=post.get("text", ""),
                    body=post.get("body", ""),
                    priority=post.get("priority", ""),
                    by=user,
                )
        except ReportRefused as exc:
            refused = exc.reasons
        else:
            messages.success(request, "Saved.")
            return redirect("reports:judgements-gaps", review.pk)
    return render(
        request,
        "reports/judgements_gaps.html",
        {
            "review": review,
            "can_change": can_change,
            "gaps": review.gaps.order_by("pk"),
            "recommendations": review.recommendations.all(),
            "gap_kinds": GapKind.choices,
            "priorities": Priority.choices,
            "refused": refused,
            "posted": request.POST if refused else {},
        },
        status=422 if refused else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def judgement_correct(request: HttpRequest, review_id: int, code: str) -> HttpResponse:
    """An erratum to a published judgement, in two steps: check what would change, then
    confirm."""
    review = review_for_request(request, review_id, "reports.correct_judgements")
    j = ReviewJudgement.objects.filter(review=review, code=code).first()
    if j is None:
        raise Http404("No such judgement.")
    user: Any = request.user
    errors: dict[str, Any] = {}
    changes: list[tuple[str, str, str]] = []
    post = request.POST
    grade = whole_id(post.get("grade")) if post.get("grade") else None
    if request.method == "POST":
        try:
            if post.get("confirm") == "yes":
                erratum_record(
                    judgement=j,
                    grade=grade,
                    finding=post.get("finding", ""),
                    reason=post.get("reason", ""),
                    by=user,
                )
                messages.success(request, f"{j.code} corrected: the erratum is on the report.")
                return redirect("reports:judgements", review.pk)
            changes = erratum_check(
                judgement=j,
                grade=grade,
                finding=post.get("finding", ""),
                reason=post.get("reason", ""),
                by=user,
            )
        except ReportRefused as exc:
            errors = {"reasons": exc.reasons, "fields": exc.fields}
    return render(
        request,
        "reports/judgement_correct.html",
        {
            "review": review,
            "j": j,
            "grades": sorted(Grade.choices, reverse=True),
            "posted": post,
            "changes": changes,
            "errors": errors,
            "read_only": is_read_only(review),
        },
        status=422 if errors else 200,
    )
