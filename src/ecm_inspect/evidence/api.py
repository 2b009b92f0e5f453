"""REST API of a review's analysis and evidence (never case files or their notes)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from ecm_inspect.accounts.api import staff
from ecm_inspect.accounts.inputs import ObjectId
from ecm_inspect.reviews.selectors import review_get_for_user

from .analysis import agreed_share, analysis_run, reason_kind
from .contributions import expected_evidence
from .models import EvidenceItem, JudgementAnalysis

router = Router(tags=["evidence"], auth=staff)


def _review(request: HttpRequest, review_id: int) -> Any:
    review = review_get_for_user(user=request.user, review_id=review_id)
    if not request.user.has_perm("evidence.view_evidence", review):
        raise PermissionDenied
    return review


class SourceOut(Schema):
    provider_kind: str
    name: str
    inspectorates: list[str]
    expected: str
    providers_in_area: int
    recent_inspections: int
    other_evidence: list[str]
    status: str


class ContributionOut(Schema):
    code: str
    text: str
    sources: list[SourceOut]


class ExpectedOut(Schema):
    missing_share: float
    forces_fieldwork: bool
    contributions: list[ContributionOut]


class AnalysisOut(Schema):
    key_judgement: str
    status: str
    proposed_grade: int | None
    reasons: list[str]
    reason_kinds: list[str]
    hypothesis: str
    expected_evidence: ExpectedOut | None


class ShareOut(Schema):
    agreed: int
    total: int
    percent: int
    text: str


def _analyses(review: Any) -> list[JudgementAnalysis]:
    if not JudgementAnalysis.objects.filter(review=review).exists():
        analysis_run(review=review)
    return list(JudgementAnalysis.objects.filter(review=review).select_related("key_judgement"))


@router.get("/reviews/{review_id}/analysis/", response=list[AnalysisOut], url_name="analysis")
def analysis(request: HttpRequest, review_id: ObjectId) -> list[dict[str, Any]]:
    """Every in-scope key judgement: agreed at analysis (with the reasons it can be) or sent to
    fieldwork (with the reasons why, and their kinds), and the evidence Appendix 2 leads one to
    expect from each contributing service, what was found and what is missing."""
    review = _review(request, review_id)
    analyses = _analyses(review)
    expected = expected_evidence(review=review)
    out = []
    for a in analyses:
        wanted = expected.get(a.key_judgement.code)
        kinds = [reason_kind(r) for r in a.reasons] if a.status == "fieldwork" else []
        out.append(
            {
                "key_judgement": a.key_judgement.code,
                "status": a.status,
                "proposed_grade": a.proposed_grade,
                "reasons": a.reasons,
                "reason_kinds": [str(k) for k in dict.fromkeys(kinds) if k is not None],
                "hypothesis": a.hypothesis,
                "expected_evidence": wanted.as_dict() if wanted else None,
            }
        )
    return out


@router.get("/reviews/{review_id}/analysis/share/", response=ShareOut, url_name="analysis-share")
def analysis_share(request: HttpRequest, review_id: ObjectId) -> dict[str, Any]:
    """How many key judgements the analysis agreed, of those in scope."""
    share = agreed_share(_analyses(_review(request, review_id)))
    return {
        "agreed": share.agreed,
        "total": share.total,
        "percent": share.percent,
        "text": str(share),
    }


class EvidenceOut(Schema):
    id: int
    kind: str
    title: str
    source: str
    dated: str
    key_judgements: list[str]
    grade: int | None
    indication: str
    origin: str


@router.get("/reviews/{review_id}/evidence/", response=list[EvidenceOut], url_name="evidence")
def evidence(request: HttpRequest, review_id: ObjectId) -> list[dict[str, Any]]:
    review = _review(request, review_id)
    return [
        {
            "id": i.pk,
            "kind": i.kind,
            "title": i.title,
            "source": i.source,
            "dated": i.dated.isoformat(),
            "key_judgements": [k.code for k in i.key_judgements.all()],
            "grade": i.grade,
            "indication": i.indication,
            "origin": i.origin,
        }
        for i in EvidenceItem.objects.filter(review=review).prefetch_related("key_judgements")
    ]
