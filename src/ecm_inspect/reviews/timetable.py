"""The timetable of a joint area review, in working days (England and Wales bank holidays).

The rules are those of the 2004 proposals, section 5, "Stages of a joint area review":

- analysis "will take a week" (ANALYSIS_DAYS);
- "Two weeks after the analysis, fieldwork will normally take place over a two-week period"
  (GAP_DAYS, FIELDWORK_DAYS);
- analysis and fieldwork complete within six weeks (ON_SITE_LIMIT, calendar weeks: a timetable
  that bank holidays stretch past it is flagged);
- "Within eight weeks, a draft report will be sent to the director of children's services"
  (DRAFT_DAYS after the end of fieldwork);
- "The report will be published about six weeks later" (PUBLICATION_DAYS after the draft).

The document does not say how long before the analysis the area is notified, when the set-up
meeting is held, or how long accuracy comments stay open: those are settings with defaults
(ECM_REVIEW_NOTICE_DAYS, ECM_REVIEW_SET_UP_DAYS, ECM_REVIEW_COMMENTS_DAYS,
ECM_REVIEW_FINDINGS_MEETING_DAYS), all in working days.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from ecm_inspect.core.calendar import (
    add_working_days,
    bank_holiday,
    next_working_day,
    working_days_between,
)

from .models import MilestoneKind

ANALYSIS_DAYS = 5  # "will take a week"
GAP_DAYS = 10  # "Two weeks after the analysis"
FIELDWORK_DAYS = 10  # "over a two-week period"
ON_SITE_LIMIT = timedelta(weeks=6)  # analysis plus fieldwork within six weeks
DRAFT_DAYS = 40  # "Within eight weeks, a draft report"
PUBLICATION_DAYS = 30  # "published about six weeks later"


@dataclass(frozen=True)
class TimetableRules:
    notice_days: int
    set_up_days: int
    comments_days: int
    findings_meeting_days: int

    @classmethod
    def from_settings(cls) -> "TimetableRules":
        return cls(
            notice_days=settings.ECM_REVIEW_NOTICE_DAYS,
            set_up_days=settings.ECM_REVIEW_SET_UP_DAYS,
            comments_days=settings.ECM_REVIEW_COMMENTS_DAYS,
            findings_meeting_days=settings.ECM_REVIEW_FINDINGS_MEETING_DAYS,
        )


@dataclass(frozen=True)
class Timetable:
    dates: dict[MilestoneKind, date]
    warnings: list[str]


def timetable_compute(
    *, analysis_starts_on: date, rules: TimetableRules | None = None
) -> Timetable:
    """Every milestone's planned date from the first day of analysis."""
    rules = rules or TimetableRules.from_settings()
    warnings: list[str] = []
    start = next_working_day(analysis_starts_on)
    if start != analysis_starts_on:
        why = bank_holiday(analysis_starts_on) or analysis_starts_on.strftime("a %A")
        warnings.append(
            f"{analysis_starts_on:%-d %B %Y} is not a working day ({why}): "
            f"analysis starts on {start:%A %-d %B %Y}."
        )
    analysis_end = add_working_days(start, ANALYSIS_DAYS - 1)
    fieldwork_start = add_working_days(analysis_end, GAP_DAYS + 1)
    fieldwork_end = add_working_days(fieldwork_start, FIELDWORK_DAYS - 1)
    draft = add_working_days(fieldwork_end, DRAFT_DAYS)
    comments = add_working_days(draft, rules.comments_days)
    meeting = add_working_days(comments, rules.findings_meeting_days)
    publication = add_working_days(draft, PUBLICATION_DAYS)
    if publication <= meeting:
        publication = add_working_days(meeting, 1)
    if fieldwork_end - start >= ON_SITE_LIMIT:
        warnings.append(
            f"Analysis and fieldwork run from {start:%-d %B} to {fieldwork_end:%-d %B %Y}, "
            "longer than the six weeks the proposals allow: bank holidays fall inside them."
        )
    dates = {
        MilestoneKind.NOTIFICATION: add_working_days(start, -rules.notice_days),
        MilestoneKind.SET_UP_MEETING: add_working_days(start, -rules.set_up_days),
        MilestoneKind.ANALYSIS_START: start,
        MilestoneKind.ANALYSIS_END: analysis_end,
        MilestoneKind.FIELDWORK_START: fieldwork_start,
        MilestoneKind.FIELDWORK_END: fieldwork_end,
        MilestoneKind.DRAFT_SENT: draft,
        MilestoneKind.COMMENTS_CLOSE: comments,
        MilestoneKind.FINDINGS_MEETING: meeting,
        MilestoneKind.PUBLICATION: publication,
    }
    return Timetable(dates=dates, warnings=warnings)


@dataclass(frozen=True)
class MilestoneStatus:
    kind: MilestoneKind
    planned: date
    actual: date | None
    slip_days: int  # working days late (positive) or early (negative); 0 if on time or not due
    overdue: bool  # due, not done

    @property
    def label(self) -> str:
        return self.kind.label


def milestone_status(
    kind: MilestoneKind, planned: date, actual: date | None, today: date
) -> MilestoneStatus:
    if actual is not None:
        slip = (
            working_days_between(planned, actual)
            if actual > planned
            else -working_days_between(actual, planned)
        )
        return MilestoneStatus(kind, planned, actual, slip, False)
    late = today > planned
    return MilestoneStatus(
        kind, planned, None, working_days_between(planned, today) if late else 0, late
    )
