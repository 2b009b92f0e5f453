"""REST API of a review's survey: its set-up and schools (team only) and its results (as
published for anyone who may see the review; every figure for the team with ?exact=true);
the parents' and carers' results and the coverage panel (team only). Never individual
responses, words or concerns."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from ecm_inspect.accounts.api import staff
from ecm_inspect.core.inputs import ObjectId
from ecm_inspect.reviews.selectors import review_get_for_user

from .analysis import results_as_dict, survey_results
from .coverage import review_coverage
from .models import ParentsProforma, Survey
from .parents_results import parents_results, parents_results_as_dict

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


@router.get("/reviews/{review_id}/parents/results/", url_name="voices_parents_results")
def parents_results_api(request: HttpRequest, review_id: ObjectId) -> dict[str, Any]:
    """The parents' and carers' results for the review team: counts and shares, small numbers
    suppressed, never what parents wrote."""
    review = review_get_for_user(user=request.user, review_id=review_id)
    if not request.user.has_perm("voices.view_parents_results", review):
        raise PermissionDenied
    proforma = ParentsProforma.objects.filter(survey__review=review).first()
    if proforma is None:
        raise Http404("This review has no parents' and carers' questionnaire.")
    return parents_results_as_dict(parents_results(proforma))


class ViewsCoverageSourceOut(Schema):
    source: str
    heard: int


class ViewsCoverageRowOut(Schema):
    group: str
    label: str
    heard: int
    sources: list[ViewsCoverageSourceOut]
    gap: str


class ViewsCoverageOut(Schema):
    review: int
    flag_gaps: bool
    groups: list[ViewsCoverageRowOut]


@router.get("/reviews/{review_id}/coverage/", response=ViewsCoverageOut, url_name="voices_coverage")
def coverage_api(request: HttpRequest, review_id: ObjectId) -> dict[str, Any]:
    """Whose views the review has gathered, against the groups in its scope."""
    review = review_get_for_user(user=request.user, review_id=review_id)
    if not request.user.has_perm("voices.view_parents_results", review):
        raise PermissionDenied
    found = review_coverage(review)
    return {
        "review": review.pk,
        "flag_gaps": found.flag_gaps,
        "groups": [
            {
                "group": row.group.key,
                "label": row.group.label,
                "heard": row.heard,
                "sources": [{"source": s, "heard": n} for s, n in row.sources],
                "gap": row.gap,
            }
            for row in found.rows
        ],
    }
