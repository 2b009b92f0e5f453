"""REST API of a review's analysis and evidence (never case files or their notes)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from ecm_inspect.accounts.api import staff
from ecm_inspect.accounts.inputs import ObjectId
from ecm_inspect.reviews.selectors import review_get_for_user

from .analysis import analysis_run
from .models import EvidenceItem, JudgementAnalysis

router = Router(tags=["evidence"], auth=staff)


def _review(request: HttpRequest, review_id: int) -> Any:
    review = review_get_for_user(user=request.user, review_id=review_id)
    if not request.user.has_perm("evidence.view_evidence", review):
        raise PermissionDenied
    return review


class AnalysisOut(Schema):
    key_judgement: str
    status: str
    proposed_grade: int | None
    reasons: list[str]
    hypothesis: str


@router.get("/reviews/{review_id}/analysis/", response=list[AnalysisOut], url_name="analysis")
def analysis(request: HttpRequest, review_id: ObjectId) -> list[dict[str, Any]]:
    review = _review(request, review_id)
    if not JudgementAnalysis.objects.filter(review=review).exists():
        analysis_run(review=review)
    return [
        {
            "key_judgement": a.key_judgement.code,
            "status": a.status,
            "proposed_grade": a.proposed_grade,
            "reasons": a.reasons,
            "hypothesis": a.hypothesis,
        }
        for a in JudgementAnalysis.objects.filter(review=review).select_related("key_judgement")
    ]


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
