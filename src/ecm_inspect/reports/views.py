"""Pages of a review's judgements and report (for the team and, in the accuracy cycle, the
area), and the public pages of published reports with their open data."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ecm_inspect.accounts.concurrency import EditConflict
from ecm_inspect.accounts.decorators import staff_required
from ecm_inspect.accounts.exports import csv_text, dict_rows
from ecm_inspect.accounts.inputs import MAX_ID, whole_number
from ecm_inspect.core.files import stored_file_response
from ecm_inspect.evidence.models import EvidenceItem
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.selectors import descriptor_set_in_force, descriptors_for
from ecm_inspect.reviews.models import NoMoreComments, Stage
from ecm_inspect.reviews.selectors import review_for_request
from ecm_inspect.reviews.services import ReviewRefused, no_more_comments_record

from .models import (
    AccuracyComment,
    GapKind,
    Level,
    OutcomeLead,
    Priority,
    ReportDraft,
    ReviewJudgement,
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
    can_bulk_sign_off,
    comment_add,
    comment_decide,
    draft_changes,
    draft_circulate,
    draft_make,
    erratum_check,
    erratum_record,
    fingerprint,
    gap_record,
    group_statements,
    is_read_only,
    is_signed_off,
    judgement_record,
    judgement_return,
    judgement_sign_off,
    judgement_status,
    judgements_propose,
    judgements_sign_off_all,
    outcome_lead_set,
    points_the_other_way,
    publication_pdf_print,
    recommendation_add,
    relevant_items,
)


def _int(value: str | None) -> int | None:
    return whole_number(value, high=MAX_ID)


def _judgement_rows(judgements: list[ReviewJudgement], q: str) -> list[dict[str, Any]]:
    """What a judgements page shows of each judgement: its status, the evidence to choose from
    (tagged with it, filtered by the search), what was chosen from elsewhere with its reason,
    and the evidence pointing away from the chosen (or proposed) grade."""
    rows = []
    for j in judgements:
        tagged = list(relevant_items(j))
        chosen = list(j.evidence.all())
        tagged_pks = {i.pk for i in tagged}
        shown = [i for i in tagged if not q or q.casefold() in i.title.casefold()]
        shown += [i for i in chosen if i.pk in tagged_pks and i not in shown]
        elsewhere = [i for i in chosen if i.pk not in tagged_pks]
        others: list[EvidenceItem] = []
        if q:
            others = [
                i
                for i in EvidenceItem.objects.filter(review=j.review, title__icontains=q)
                .exclude(pk__in=tagged_pks)
                .order_by("title")[:20]
                if i not in elsewhere
            ]
        grade = j.grade or j.proposed_grade
        rows.append(
            {
                "j": j,
                "status": judgement_status(j),
                "signed": is_signed_off(j),
                "statements": group_statements(j),
                "tagged": shown,
                "tagged_count": len(tagged),
                "chosen": {i.pk for i in chosen},
                "elsewhere": elsewhere,
                "others": others,
                "against": sorted(
                    (i for i in {*tagged, *chosen} if points_the_other_way(i, grade)),
                    key=lambda i: i.title,
                ),
                "against_grade": Grade(grade).label if grade else "",
                "fingerprint": fingerprint(j),
                "bulk": can_bulk_sign_off(j),
            }
        )
    return rows


def _bind(row: dict[str, Any]) -> None:
    """The evidence choices of a row as shown: from the refused post where it was refused
    (typed input kept), else from the judgement; each other item with its reason."""
    j, errors = row["j"], row["errors"]
    posted = errors.get("posted") if errors else None
    chosen = errors["chosen"] if posted is not None else row["chosen"]
    row["tagged_choices"] = [{"item": i, "checked": i.pk in chosen} for i in row["tagged"]]
    extra = []
    for item in [*row["elsewhere"], *row["others"]]:
        reason = (
            posted.get(f"evidence-reason-{item.pk}", "")
            if posted is not None
            else j.evidence_reasons.get(str(item.pk), "")
        )
        extra.append(
            {
                "item": item,
                "checked": item.pk in chosen,
                "reason": reason,
                "error": (errors.get("fields") or {}).get(f"evidence-reason-{item.pk}", ""),
            }
        )
    if posted is not None:  # items chosen elsewhere before the refusal, not in the search
        shown = {e["item"].pk for e in extra} | {i.pk for i in row["tagged"]}
        for item in EvidenceItem.objects.filter(review=j.review, pk__in=chosen - shown):
            extra.append(
                {
                    "item": item,
                    "checked": True,
                    "reason": posted.get(f"evidence-reason-{item.pk}", ""),
                    "error": errors["fields"].get(f"evidence-reason-{item.pk}", ""),
                }
            )
    row["extra"] = extra
    row["value"] = (
        {
            "choice": posted.get("choice", ""),
            "council_grade": posted.get("council_grade", ""),
            "not_judged_reason": posted.get("not_judged_reason", ""),
            "finding": posted.get("finding", ""),
            "rationale": posted.get("rationale", ""),
            "comment": posted.get("comment", ""),
            "statements": [
                (st, posted.get(f"statement-{st.code}", "")) for st in row["statements"]
            ],
        }
        if posted is not None
        else {
            "choice": "not_judged" if j.not_judged else str(j.grade or ""),
            "council_grade": str(j.council_grade or ""),
            "not_judged_reason": j.not_judged_reason,
            "finding": j.finding,
            "rationale": j.rationale,
            "comment": "",
            "statements": [(st, j.statement_findings.get(st.code, "")) for st in row["statements"]],
        }
    )


def _record_from_post(post: Any, j: ReviewJudgement, user: Any) -> None:
    choice = post.get("choice", "")
    ids = [i for i in map(_int, post.getlist("evidence")) if i is not None]
    council = post.get("council_grade", "")
    # Anything but empty or a grade goes to the service as 0, which it refuses with the rest.
    council_grade = int(council) if council in {"1", "2", "3", "4"} else (0 if council else None)
    bad_choice = choice not in {"", "not_judged", "1", "2", "3", "4"}
    missing_choice = bad_choice or (j.level == Level.KEY_JUDGEMENT and not choice)
    try:
        judgement_record(
            judgement=j,
            grade=_int(choice) if choice not in {"", "not_judged"} and not bad_choice else None,
            finding=post.get("finding", ""),
            rationale=post.get("rationale", ""),
            statement_findings={
                s.code: post.get(f"statement-{s.code}", "") for s in group_statements(j)
            },
            not_judged=choice == "not_judged",
            not_judged_reason=post.get("not_judged_reason", ""),
            evidence_ids=ids,
            evidence_reasons={i: post.get(f"evidence-reason-{i}", "") for i in ids},
            seen_version=_int(post.get("version")) or 0,
            by=user,
            council_grade=council_grade,
        )
    except ReportRefused as exc:
        if missing_choice and "grade" not in exc.fields:
            text = "Choose a grade, or not judged."
            raise ReportRefused([text, *exc.reasons], {"grade": text, **exc.fields}) from exc
        raise
    if missing_choice:  # pragma: no cover (the service refuses a missing grade first)
        raise ReportRefused("Choose a grade, or not judged.", {"grade": "Choose a grade."})


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


@staff_required
@require_http_methods(["GET", "POST"])
def judgements_part(request: HttpRequest, review_id: int, part: str) -> HttpResponse:
    """One outcome's key judgements and grade (or the vulnerable groups, or service management
    and capacity): drafted by the outcome's lead, moderated by the team leader."""
    review = review_for_request(request, review_id, "reports.view_judgements")
    user: Any = request.user
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
    read_only = is_read_only(review)
    can_moderate = user.has_perm("reports.sign_off_judgements", review) and not read_only
    errors: dict[str, Any] = {}
    if request.method == "POST":
        if read_only:
            raise PermissionDenied
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
            j = next((x for x in js if x.pk == _int(request.POST.get("judgement"))), None)
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
                _record_from_post(request.POST, j, user)
                done = f"{j.code} saved as a draft."
        except (ReportRefused, EditConflict) as exc:
            errors = {
                "pk": j.pk if j else None,
                "action": action,
                "reasons": getattr(exc, "reasons", [str(exc)]),
                "fields": getattr(exc, "fields", {}),
                "posted": request.POST,
                "chosen": {i for i in map(_int, request.POST.getlist("evidence")) if i},
            }
        else:
            messages.success(request, done)
            return redirect(
                reverse("reports:judgements-part", args=[review.pk, part]) + f"#j-{j.code}"
            )
    q = request.GET.get("q", "").strip()[:100]
    rows = _judgement_rows(js, q)
    descriptors = descriptors_for(review.framework_code)
    descriptor_set = descriptor_set_in_force(framework_code=review.framework_code)
    for row in rows:
        row["may_draft"] = not read_only and user.has_perm("reports.draft_judgement", row["j"])
        row["descriptors"] = descriptors.get(row["j"].code, {})
        row["descriptor_set"] = descriptor_set
        row["errors"] = errors if errors.get("pk") == row["j"].pk else {}
        _bind(row)
    if errors:
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
        errors["links"] = [
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
        member = next((m for m in members if m.pk == _int(request.POST.get("member"))), None)
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
    grade = _int(post.get("grade")) if post.get("grade") else None
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
