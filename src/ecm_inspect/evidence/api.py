"""REST API of a review's analysis and evidence, and of its fieldwork findings and meetings for
the review's team. Never the text of case files, their notes, findings, meeting notes, journey
steps or neighbourhood descriptions: those stay in the team's confidential area."""

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from ecm_inspect.accounts.api import staff
from ecm_inspect.core.inputs import MAX_ID, ObjectId
from ecm_inspect.reviews.models import Review
from ecm_inspect.reviews.selectors import review_for_request

from .analysis import agreed_share, analysis_run, reason_kind
from .contributions import expected_evidence
from .fieldwork import finding_record, place_deprivation
from .models import (
    CaseFile,
    EvidenceItem,
    FieldworkFinding,
    FieldworkMeeting,
    FindingSource,
    JudgementAnalysis,
    NeighbourhoodStudy,
    TrackedChild,
)
from .services import EvidenceRefused, PersonalDataFound

router = Router(tags=["evidence"], auth=staff)


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
    review = review_for_request(request, review_id, "evidence.view_evidence")
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
    review = review_for_request(request, review_id, "evidence.view_evidence")
    share = agreed_share(_analyses(review))
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
    review = review_for_request(request, review_id, "evidence.view_evidence")
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


# -- fieldwork: the review team's only, and never the text --------------------------------


class FindingOut(Schema):
    id: int
    reference: str
    source: str
    service: str
    aspect: str
    key_judgements: list[str]
    indication: str
    severity: str
    found_on: datetime.date
    evidence_item: int | None


def finding_out(finding: FieldworkFinding) -> dict[str, Any]:
    """A finding as it may leave the confidential area: its reference and tags, not its text."""
    judgements = sorted(
        finding.key_judgements.all(), key=lambda k: (k.outcome.order, k.order, k.code)
    )
    return {
        "id": finding.pk,
        "reference": finding.reference,
        "source": finding.source,
        "service": finding.service,
        "aspect": finding.aspect,
        "key_judgements": [k.code for k in judgements],
        "indication": finding.indication,
        "severity": finding.severity,
        "found_on": finding.found_on,
        "evidence_item": finding.evidence_id,
    }


@router.get(
    "/reviews/{review_id}/fieldwork/findings/",
    response=list[FindingOut],
    url_name="fieldwork_findings",
)
def fieldwork_findings(request: HttpRequest, review_id: ObjectId) -> list[dict[str, Any]]:
    review = review_for_request(request, review_id, "evidence.view_case_files")
    found = FieldworkFinding.objects.filter(review=review).prefetch_related(
        "key_judgements__outcome"
    )
    return [finding_out(f) for f in found]


ReferenceId = Annotated[int, Field(ge=1, le=MAX_ID)]


class FindingIn(Schema):
    source: FindingSource = Field(
        description="Where it was found: a case file, a tracked child, a neighbourhood study "
        "or a meeting."
    )
    source_id: ReferenceId = Field(description="The id of that case file, child, study or meeting.")
    found: str = Field(description="What was found. Names no one; stays with the team.")
    key_judgements: list[str] = Field(description="The codes it bears on, e.g. SS.4.")
    indication: str = Field(description="strength, weakness or neutral.")
    severity: str = Field("", description="For a weakness: minor, significant or serious.")
    found_on: datetime.date
    service: str = Field("", max_length=200)
    aspect: str = Field("", description="access, sufficiency, timeliness, coordination, quality.")
    confirm_no_personal_data: bool = False


class FieldworkRefusedOut(Schema):
    detail: str


SOURCES: dict[str, tuple[Any, str]] = {
    FindingSource.CASE_FILE: (CaseFile, "case file"),
    FindingSource.TRACKED_CHILD: (TrackedChild, "tracked child"),
    FindingSource.NEIGHBOURHOOD: (NeighbourhoodStudy, "neighbourhood study"),
    FindingSource.MEETING: (FieldworkMeeting, "meeting"),
}


def finding_source_get(review: Review, source: str, source_id: int) -> Any:
    """The case file, tracked child, neighbourhood study or meeting of this review a finding
    comes from; refused if the review has none with that id."""
    model, noun = SOURCES[source]
    target = model.objects.filter(review=review, pk=source_id).first()
    if target is None:
        raise EvidenceRefused(f"This review has no {noun} {source_id}.")
    return target


@router.post(
    "/reviews/{review_id}/fieldwork/findings/",
    response={201: FindingOut, 422: FieldworkRefusedOut},
    url_name="fieldwork_finding_record",
)
def fieldwork_finding_record(request: HttpRequest, review_id: ObjectId, body: FindingIn) -> Any:
    review = review_for_request(request, review_id, "evidence.change_case_files")
    try:
        target = finding_source_get(review, body.source, body.source_id)
        finding = finding_record(
            review=review,
            found=body.found,
            key_judgement_codes=body.key_judgements,
            indication=body.indication,
            severity=body.severity,
            found_on=body.found_on,
            service=body.service,
            aspect=body.aspect,
            confirm_no_personal_data=body.confirm_no_personal_data,
            by=request.user,
            **{str(body.source): target},
        )
    except (EvidenceRefused, PersonalDataFound) as exc:
        return Status(422, {"detail": str(exc)})
    return Status(201, finding_out(finding))


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    held_on: datetime.date
    attendees: int
    groups: list[str]
    under_eights: bool
    hard_to_reach: str
    findings: list[str]


def meeting_out(meeting: FieldworkMeeting) -> dict[str, Any]:
    """A meeting as it may leave the confidential area: who, when, for whom; not its notes."""
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "attendees": meeting.attendees,
        "groups": sorted(g.slug for g in meeting.vulnerable_groups.all()),
        "under_eights": meeting.under_eights,
        "hard_to_reach": meeting.hard_to_reach,
        "findings": [f.reference for f in meeting.findings.all()],
    }


@router.get(
    "/reviews/{review_id}/fieldwork/meetings/",
    response=list[MeetingOut],
    url_name="fieldwork_meetings",
)
def fieldwork_meetings(request: HttpRequest, review_id: ObjectId) -> list[dict[str, Any]]:
    review = review_for_request(request, review_id, "evidence.view_case_files")
    meetings = FieldworkMeeting.objects.filter(review=review).prefetch_related(
        "vulnerable_groups", "findings"
    )
    return [meeting_out(m) for m in meetings]


class StepOut(Schema):
    on: datetime.date
    kind: str
    service: str


class TrackedChildOut(Schema):
    id: int
    journey: list[StepOut]
    findings: list[str]


@router.get(
    "/reviews/{review_id}/fieldwork/tracked-children/",
    response=list[TrackedChildOut],
    url_name="fieldwork_tracked_children",
)
def fieldwork_tracked_children(request: HttpRequest, review_id: ObjectId) -> list[dict[str, Any]]:
    """Each tracked child's journey as dated steps and the references of its findings: not
    the pseudonym, the summary or what happened at each step."""
    review = review_for_request(request, review_id, "evidence.view_case_files")
    children = TrackedChild.objects.filter(review=review).prefetch_related("journey", "findings")
    return [
        {
            "id": c.pk,
            "journey": [
                {"on": s.on, "kind": s.kind, "service": s.service} for s in c.journey.all()
            ],
            "findings": [f.reference for f in c.findings.all()],
        }
        for c in children.order_by("pk")
    ]


class NeighbourhoodOut(Schema):
    id: int
    name: str
    place_kind: str
    lsoa_codes: list[str]
    most_deprived_decile: int
    mean_decile: float
    children: int
    findings: list[str]


@router.get(
    "/reviews/{review_id}/fieldwork/neighbourhoods/",
    response=list[NeighbourhoodOut],
    url_name="fieldwork_neighbourhoods",
)
def fieldwork_neighbourhoods(request: HttpRequest, review_id: ObjectId) -> list[dict[str, Any]]:
    """Each neighbourhood studied: the place, its deprivation and the references of its
    findings; not the team's descriptions."""
    review = review_for_request(request, review_id, "evidence.view_case_files")
    out = []
    for study in NeighbourhoodStudy.objects.filter(review=review).prefetch_related("findings"):
        depth = place_deprivation(study.codes)
        out.append(
            {
                "id": study.pk,
                "name": study.name,
                "place_kind": study.place_kind,
                "lsoa_codes": study.codes,
                "most_deprived_decile": depth.most_deprived_decile,
                "mean_decile": depth.mean_decile,
                "children": depth.children,
                "findings": [f.reference for f in study.findings.all()],
            }
        )
    return out
