"""Fieldwork that reaches the judgements (2004 proposals, section 5: "priority to exploring
children and young people's experience of services through tracking individuals and through
neighbourhood studies", case files, meetings and focus groups).

Every fieldwork finding (a case-file reading, a finding on a tracked child's services, a
neighbourhood study's or a meeting's) is recorded here with the key judgements it bears on, a
direction and, for a weakness, a severity. Its text is screened for personal data and stays in
the team's confidential area. Each finding has one evidence item (origin "fieldwork") that
carries its tags and direction but none of its text: its title cites the finding by reference
("Case-file reading F12: a serious weakness on SS.4"). The analysis and the proposed judgements
read those items; `fieldwork_weighing` is how they move a proposal.
"""

from .findings import (
    FindingsChanged,
    Weighing,
    fieldwork_weighing,
    finding_record,
    finding_title,
    finding_withdraw,
    is_fieldwork_finding,
    on_findings_changed,
    when_findings_change,
)
from .journeys import JourneyGap, journey_step_add, journey_waits
from .meetings import meeting_record
from .overview import (
    FieldworkDone,
    OutcomeTally,
    confidential_pseudonyms,
    confidential_writing,
    fieldwork_done,
    findings_chart,
    findings_tally,
)
from .places import PlaceDeprivation, neighbourhood_describe, place_deprivation

__all__ = [
    "FieldworkDone",
    "FindingsChanged",
    "JourneyGap",
    "OutcomeTally",
    "PlaceDeprivation",
    "Weighing",
    "confidential_pseudonyms",
    "confidential_writing",
    "fieldwork_done",
    "fieldwork_weighing",
    "finding_record",
    "finding_title",
    "finding_withdraw",
    "findings_chart",
    "findings_tally",
    "is_fieldwork_finding",
    "journey_step_add",
    "journey_waits",
    "meeting_record",
    "neighbourhood_describe",
    "on_findings_changed",
    "place_deprivation",
    "when_findings_change",
]
