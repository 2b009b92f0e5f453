"""REST API of the annual performance assessment: every area's grades for a year, one area's
assessment, and recording a grade (with optimistic concurrency). Staff only, via the policy."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from ecm_inspect.accounts.api import staff
from ecm_inspect.core.inputs import Year

from .management.commands.apa import assessment_out
from .selectors import (
    assessment_get_for_user,
    assessments_for_user,
    cpa_block_score_rows,
    cpa_block_scores_for_user,
)
from .services import AssessmentRefused, judgement_record

router = Router(tags=["performance"], auth=staff)


class ApaJudgementOut(Schema):
    proposed: int | None
    recorded: int | None
    reasons: list[str]


class AssessmentOut(Schema):
    gss_code: str
    area: str
    year: int
    source: str
    judgements: dict[str, ApaJudgementOut]


@router.get("/{year}/", response=list[AssessmentOut], url_name="apa_year")
def year_list(request: HttpRequest, year: Year) -> list[dict[str, Any]]:
    return [assessment_out(a) for a in assessments_for_user(user=request.user, year=year)]


def _as_seen_by(user: Any, assessment: Any) -> dict[str, Any]:
    """The assessment as the user may see it: the council and its partners never see the
    proposals or their reasons, and see recorded grades only once the letter is issued."""
    out = assessment_out(assessment)
    if user.has_perm("performance.view_proposals"):
        return out
    released = user.has_perm("performance.view_letter", assessment)
    for judgement in out["judgements"].values():
        judgement["proposed"] = None
        judgement["reasons"] = []
        if not released:
            judgement["recorded"] = None
    return out


class CpaBlockScoreOut(Schema):
    year: int
    gss_code: str
    area: str
    score: int | None
    source: str
    source_label: str
    decided: bool
    written_at: str


@router.get(
    "/{year}/cpa-block-scores/", response=list[CpaBlockScoreOut], url_name="apa_cpa_block_scores"
)
def cpa_block_scores(request: HttpRequest, year: Year) -> list[dict[str, Any]]:
    """Each council's CPA children and young people block score for the year, as stored when
    the APA was run, with its source (the APA, or the review published that year)."""
    return cpa_block_score_rows(cpa_block_scores_for_user(user=request.user, year=year))


@router.get("/{year}/{gss_code}/", response=AssessmentOut, url_name="apa_area")
def area_detail(request: HttpRequest, year: Year, gss_code: str) -> dict[str, Any]:
    found = assessment_get_for_user(user=request.user, year=year, gss_code=gss_code)
    return _as_seen_by(request.user, found)


class ApaRecordIn(Schema):
    grade: int
    rationale: str
    override_reason: str = ""
    version: int


class ApaRefusedOut(Schema):
    detail: str


@router.post(
    "/{year}/{gss_code}/judgements/{kind}/",
    response={200: AssessmentOut, 422: ApaRefusedOut},
    url_name="apa_record",
)
def record(request: HttpRequest, year: Year, gss_code: str, kind: str, body: ApaRecordIn) -> Any:
    assessment = assessment_get_for_user(user=request.user, year=year, gss_code=gss_code)
    if not request.user.has_perm("performance.record_grade", assessment.area):
        raise PermissionDenied
    judgement = assessment.judgements.filter(kind=kind).first()
    if judgement is None:
        raise Http404("No such judgement.")
    try:
        judgement_record(
            judgement=judgement, grade=body.grade, rationale=body.rationale,
            override_reason=body.override_reason, seen_version=body.version, by=request.user,
        )  # fmt: skip
    except AssessmentRefused as exc:
        from ninja import Status

        return Status(422, {"detail": str(exc)})
    assessment.refresh_from_db()
    return assessment_out(assessment)
