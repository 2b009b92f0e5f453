"""The evidence base of a joint area review: evidence items of every kind the 2004 proposals
list, with attachments kept by revision and SHA-256; requests to the area; the analysis of
each key judgement; case files (pseudonymised, screened, confidential to the team);
neighbourhood studies; children tracked across services."""

from .case_files import (
    CaseCategory,
    CaseFile,
    CaseFileNote,
)
from .fieldwork import (
    FieldworkFinding,
    FieldworkMeeting,
    FindingSource,
    JourneyStep,
    MeetingKind,
    NeighbourhoodStudy,
    PlaceKind,
    ServiceAspect,
    Severity,
    StepKind,
    TrackedChild,
)
from .items import (
    ANALYSIS_KINDS,
    AnalysisStatus,
    Attachment,
    EvidenceItem,
    EvidenceKind,
    EvidenceRequest,
    Indication,
    JudgementAnalysis,
    Origin,
    RequestStatus,
)

__all__ = [
    "ANALYSIS_KINDS",
    "AnalysisStatus",
    "Attachment",
    "CaseCategory",
    "CaseFile",
    "CaseFileNote",
    "EvidenceItem",
    "EvidenceKind",
    "EvidenceRequest",
    "FieldworkFinding",
    "FieldworkMeeting",
    "FindingSource",
    "Indication",
    "JourneyStep",
    "JudgementAnalysis",
    "MeetingKind",
    "NeighbourhoodStudy",
    "Origin",
    "PlaceKind",
    "RequestStatus",
    "ServiceAspect",
    "Severity",
    "StepKind",
    "TrackedChild",
]
