"""REST API of the Framework catalogue: GET /api/framework/ and one endpoint per outcome."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from .selectors import (
    CURRENT_VERSION,
    catalogue_export,
    outcome_get,
    outcomes_for_version,
    relevance_by_judgement,
    relevance_matrix,
)

router = Router(tags=["framework"])


class AimOut(Schema):
    code: str
    text: str


class KeyJudgementOut(Schema):
    code: str
    text: str
    vulnerable_group: str


class RelevantToOut(Schema):
    provider_kind: str
    inspectorates: list[str]


class KeyJudgementDetailOut(KeyJudgementOut):
    relevant_to: list[RelevantToOut]


class OutcomeOut(Schema):
    code: str
    title: str
    aims_preamble: str
    aims: list[AimOut]
    key_judgements: list[KeyJudgementOut]


class OutcomeDetailOut(Schema):
    code: str
    title: str
    aims_preamble: str
    aims: list[AimOut]
    key_judgements: list[KeyJudgementDetailOut]


class GradeOut(Schema):
    grade: int
    label: str


class FrameworkOut(Schema):
    version: str
    grade_scale: list[GradeOut]
    outcomes: list[OutcomeOut]


class ProviderKindRelevanceOut(Schema):
    code: str
    name: str
    scope: str
    relevance: dict[str, list[str]]


def _outcome(outcome: Any) -> dict[str, Any]:
    return {
        "code": outcome.code,
        "title": outcome.title,
        "aims_preamble": outcome.aims_preamble,
        "aims": [{"code": a.code, "text": a.text} for a in outcome.aims.all()],
        "key_judgements": [
            {"code": k.code, "text": k.text, "vulnerable_group": k.vulnerable_group}
            for k in outcome.key_judgements.all()
        ],
    }


@router.get(
    "/", response=FrameworkOut, summary="The Framework in force: outcomes, aims, key judgements"
)
def framework(request: HttpRequest) -> dict[str, Any]:
    return {
        "version": CURRENT_VERSION,
        "grade_scale": catalogue_export(version="none")["grade_scale"],
        "outcomes": [_outcome(o) for o in outcomes_for_version()],
    }


@router.get("/outcomes/{code}/", response=OutcomeDetailOut, summary="One outcome, with relevance")
def outcome(request: HttpRequest, code: str) -> dict[str, Any]:
    found = outcome_get(code=code)
    if found is None:
        raise Http404(f"There is no outcome {code!r} in the Framework.")
    relevance = relevance_by_judgement(outcome=found)
    data = _outcome(found)
    for kj in data["key_judgements"]:
        kj["relevant_to"] = [
            {"provider_kind": kind, "inspectorates": bodies}
            for kind, bodies in relevance[kj["code"]]
        ]
    return data


@router.get("/relevance/", response=list[ProviderKindRelevanceOut], summary="The relevance matrix")
def relevance(request: HttpRequest) -> list[dict[str, Any]]:
    return relevance_matrix()


@router.get("/export/", summary="The whole catalogue, every version (as `ecm framework export`)")
def export(request: HttpRequest, version: str | None = None) -> dict[str, Any]:
    data = catalogue_export(version=version)
    if version is not None and not data["versions"]:
        raise Http404(f"There is no Framework version {version!r}.")
    return data
