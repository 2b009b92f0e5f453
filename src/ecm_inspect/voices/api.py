"""REST API of a review's survey: its set-up and schools (team only) and its results (as
published for anyone who may see the review; every figure for the team with ?exact=true).
Never individual responses or concerns."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from ecm_inspect.accounts.api import staff
from ecm_inspect.accounts.inputs import ObjectId
from ecm_inspect.reviews.selectors import review_get_for_user

from .analysis import results_as_dict, survey_results
from .models import Survey

router = Router(tags=["voices"], auth=staff)


def _survey(request: HttpRequest, review_id: int, perm: str) -> Survey:
    review = review_get_for_user(user=request.user, review_id=review_id)
    if not request.user.has_perm(perm, review):
        raise PermissionDenied
    survey = Survey.objects.filter(review=review).select_related("proforma").first()
    if survey is None:
        raise Http404("This review has no survey.")
    return survey


class SchoolOut(Schema):
    urn: str
    name: str
    phase: str
    phase_estimated: bool
    deprivation: str
    code: str
    answers: int


class SurveyOut(Schema):
    review: int
    proforma: str
    status: str
    opens_on: date
    closes_on: date
    closed_on: date | None
    answers: int
    schools: list[SchoolOut]


@router.get("/reviews/{review_id}/survey/", response=SurveyOut, url_name="voices_survey")
def survey(request: HttpRequest, review_id: ObjectId) -> dict[str, Any]:
    found = _survey(request, review_id, "voices.view_survey")
    sent = found.responses.filter(submitted_on__isnull=False)
    return {
        "review": found.review_id,
        "proforma": f"{found.proforma.code} {found.proforma.version}",
        "status": found.status,
        "opens_on": found.opens_on,
        "closes_on": found.closes_on,
        "closed_on": found.closed_on,
        "answers": sent.count(),
        "schools": [
            {
                "urn": s.urn,
                "name": s.name,
                "phase": s.phase,
                "phase_estimated": s.phase_estimated,
                "deprivation": s.deprivation,
                "code": s.code,
                "answers": sent.filter(school=s).count(),
            }
            for s in found.schools.all()
        ],
    }


@router.get("/reviews/{review_id}/survey/results/", url_name="voices_survey_results")
def results(request: HttpRequest, review_id: ObjectId, exact: bool = False) -> dict[str, Any]:
    found = _survey(request, review_id, "voices.view_published_results")
    team = exact and request.user.has_perm("voices.view_survey", found.review)
    if exact and not team:
        raise PermissionDenied
    return results_as_dict(survey_results(found, audience="team" if team else "published"))
