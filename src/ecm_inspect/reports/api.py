"""REST API of a review's judgements, its drafts and accuracy comments (staff, through the
policy in reports/rules.py), and of published reports (public)."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from ecm_inspect.accounts.api import staff
from ecm_inspect.core.inputs import ObjectId
from ecm_inspect.reviews.selectors import review_for_request

from .models import ReportDraft, ReviewJudgement
from .selectors import open_data_rows, publication_get_public, publications_public
from .services import (
    ReportRefused,
    comment_add,
    draft_changes,
    is_signed_off,
    judgement_record,
    judgement_sign_off,
    judgements_propose,
)

router = Router(tags=["reports"], auth=staff)


def _judgement(review: Any, code: str) -> ReviewJudgement:
    found = ReviewJudgement.objects.filter(review=review, code=code).first()
    if found is None:
        raise Http404("No such judgement: propose the judgements first.")
    return found


class ReportRefusedOut(Schema):
    detail: str
    reasons: list[str]


class JudgementOut(Schema):
    code: str
    level: str
    title: str
    proposed_grade: int | None
    proposal_reasons: list[str]
    grade: int | None
    council_grade: int | None
    finding: str
    statement_findings: dict[str, str]
    rationale: str
    not_judged: bool
    not_judged_reason: str
    evidence: list[int]
    evidence_reasons: dict[str, str]
    recorded_by: str | None
    recorded_at: str | None
    signed_off: bool
    version: int


def judgement_out(j: ReviewJudgement) -> dict[str, Any]:
    return {
        "code": j.code,
        "level": j.level,
        "title": j.title,
        "proposed_grade": j.proposed_grade,
        "proposal_reasons": j.proposal_reasons,
        "grade": j.grade,
        "council_grade": j.council_grade,
        "finding": j.finding,
        "statement_findings": j.statement_findings,
        "rationale": j.rationale,
        "not_judged": j.not_judged,
        "not_judged_reason": j.not_judged_reason,
        "evidence": sorted(e.pk for e in j.evidence.all()),
        "evidence_reasons": j.evidence_reasons,
        "recorded_by": str(j.recorded_by) if j.recorded_by else None,
        "recorded_at": j.recorded_at.isoformat() if j.recorded_at else None,
        "signed_off": is_signed_off(j),
        "version": j.version,
    }


@router.get(
    "/reviews/{review_id}/judgements/",
    response=list[JudgementOut],
    url_name="reports_judgements",
)
def judgements(request: HttpRequest, review_id: ObjectId) -> list[dict[str, Any]]:
    review = review_for_request(request, review_id, "reports.view_judgements")
    found = ReviewJudgement.objects.filter(review=review).select_related("recorded_by")
    if not found.exists() and request.user.has_perm("reports.change_judgements", review):
        judgements_propose(review=review)
    return [judgement_out(j) for j in found.prefetch_related("evidence")]


class JudgementRecordIn(Schema):
    grade: int | None = None
    council_grade: int | None = None  # outcomes: the council's own services; none: the same
    finding: str = ""
    rationale: str = ""
    evidence: list[int]
    evidence_reasons: dict[int, str] = {}
    statement_findings: dict[str, str] = {}
    not_judged: bool = False
    not_judged_reason: str = ""
    version: int


@router.post(
    "/reviews/{review_id}/judgements/{code}/",
    response={200: JudgementOut, 422: ReportRefusedOut},
    url_name="reports_judgement_record",
)
def record(request: HttpRequest, review_id: ObjectId, code: str, body: JudgementRecordIn) -> Any:
    review = review_for_request(request, review_id, "reports.view_judgements")
    judgement = _judgement(review, code)
    if not request.user.has_perm("reports.draft_judgement", judgement):
        raise PermissionDenied
    try:
        saved = judgement_record(
            judgement=judgement,
            grade=body.grade,
            finding=body.finding,
            rationale=body.rationale,
            evidence_ids=body.evidence,
            evidence_reasons=body.evidence_reasons,
            not_judged=body.not_judged,
            not_judged_reason=body.not_judged_reason,
            statement_findings=body.statement_findings,
            seen_version=body.version,
            by=request.user,
            council_grade=body.council_grade,
        )
    except ReportRefused as exc:
        return Status(422, {"detail": "The judgement was not recorded.", "reasons": exc.reasons})
    return judgement_out(saved)


@router.post(
    "/reviews/{review_id}/judgements/{code}/sign-off/",
    response={200: JudgementOut, 422: ReportRefusedOut},
    url_name="reports_judgement_sign_off",
)
def sign_off(request: HttpRequest, review_id: ObjectId, code: str) -> Any:
    review = review_for_request(request, review_id, "reports.sign_off_judgements")
    try:
        saved = judgement_sign_off(judgement=_judgement(review, code), by=request.user)
    except ReportRefused as exc:
        return Status(422, {"detail": "The judgement was not signed off.", "reasons": exc.reasons})
    return judgement_out(saved)


class DraftOut(Schema):
    number: int
    made_at: str
    circulated_to: list[str]
    paragraphs: list[list[str]]


@router.get("/reviews/{review_id}/drafts/", response=list[DraftOut], url_name="reports_drafts")
def drafts(request: HttpRequest, review_id: ObjectId) -> list[dict[str, Any]]:
    review = review_for_request(request, review_id, "reports.view_draft")
    return [
        {
            "number": d.number,
            "made_at": d.made_at.isoformat(),
            "circulated_to": d.circulated_to,
            "paragraphs": [[str(x) for x in p[:3]] for p in d.paragraphs],
        }
        for d in ReportDraft.objects.filter(review=review)
    ]


class PieceOut(Schema):
    op: str
    text: str


class DraftChangeOut(Schema):
    id: str
    heading: str
    status: str
    pieces: list[PieceOut]


@router.get(
    "/reviews/{review_id}/drafts/compare/",
    response=list[DraftChangeOut],
    url_name="reports_drafts_compare",
)
def compare(
    request: HttpRequest, review_id: ObjectId, older: int | None = None, newer: int | None = None
) -> list[Any]:
    review = review_for_request(request, review_id, "reports.view_draft")
    found = {d.number: d for d in ReportDraft.objects.filter(review=review)}
    if len(found) < 2:
        raise Http404("There is only one draft.")
    newer = newer or max(found)
    older = older or newer - 1
    if older not in found or newer not in found:
        raise Http404("No such draft.")
    return list(draft_changes(found[older], found[newer]))


class CommentIn(Schema):
    paragraph: str
    text: str


class CommentOut(Schema):
    id: int
    draft: int
    paragraph: str
    organisation: str
    text: str
    status: str


@router.post(
    "/reviews/{review_id}/comments/",
    response={201: CommentOut, 422: ReportRefusedOut},
    url_name="reports_comment",
)
def comment(request: HttpRequest, review_id: ObjectId, body: CommentIn) -> Any:
    review = review_for_request(request, review_id, "reports.comment_draft")
    user: Any = request.user
    latest = ReportDraft.objects.filter(review=review).order_by("-number").first()
    try:
        if latest is None:
            raise ReportRefused("There is no draft yet.")
        made = comment_add(
            draft=latest,
            paragraph=body.paragraph,
            organisation=str(user.organisation),
            text=body.text,
            by=user,
        )
    except ReportRefused as exc:
        return Status(422, {"detail": "The comment was not taken.", "reasons": exc.reasons})
    return Status(
        201,
        {
            "id": made.pk,
            "draft": latest.number,
            "paragraph": made.paragraph,
            "organisation": made.organisation,
            "text": made.text,
            "status": made.status,
        },
    )


# -- published reports: public ------------------------------------------------------------


class PublishedOut(Schema):
    review_id: int
    area_gss_code: str
    area: str
    published_on: date
    grades: dict[str, int | None]
    reading_grade: float
    html_url: str
    pdf_url: str
    children_url: str


def published_out(p: Any) -> dict[str, Any]:
    return {
        "review_id": p.review_id,
        "area_gss_code": p.review.area.gss_code,
        "area": p.review.area.name,
        "published_on": p.published_on,
        "grades": p.grades,
        "reading_grade": round(p.reading_grade, 1),
        "html_url": f"/reports/{p.review_id}/",
        "pdf_url": f"/reports/{p.review_id}/report.pdf",
        "children_url": f"/reports/{p.review_id}/children/",
    }


@router.get("/published/", response=list[PublishedOut], auth=None, url_name="reports_published")
def published(request: HttpRequest) -> list[dict[str, Any]]:
    return [published_out(p) for p in publications_public()]


@router.get(
    "/published/{review_id}/",
    response=PublishedOut,
    auth=None,
    url_name="reports_published_one",
)
def published_one(request: HttpRequest, review_id: ObjectId) -> dict[str, Any]:
    return published_out(publication_get_public(review_id=review_id))


class GradeRowOut(Schema):
    area_gss_code: str
    area: str
    published_on: str
    judgement: str
    judgement_title: str
    grade: int | None


@router.get(
    "/open-data/grades/", response=list[GradeRowOut], auth=None, url_name="reports_open_data"
)
def open_data(request: HttpRequest) -> list[dict[str, Any]]:
    return open_data_rows()
