"""The programme as a scheduling problem: plain data, no database, so the solver, the greedy
baseline and the checker can be run and tested on their own.

Time runs in weeks from the Monday on or after the programme's start: a review placed in week
`k` starts its analysis on that Monday (the next working day after a bank holiday) and every
other date follows from `reviews.timetable` (analysis 5 working days, a gap of 10, fieldwork
10). Its team is busy in the analysis week and the fieldwork weeks (the gap is for the area's
preparation and the team's own planning, not on site).

The rules, each from the documents or stated as ours:

- every area within the three years from the start (2004 proposals, "Frequency": "each
  children's services authority will receive a joint area review within a three-year period
  starting in summer 2005"): the fieldwork ends before the third anniversary of the start;
- no fieldwork in the school summer holidays (SUMMER_HOLIDAYS, ours: schools are closed, so
  children, schools and families cannot be met);
- a team of ECM_REVIEW_TEAM_MIN..MAX (3-8) from at least two bodies with one leader of the
  lead grade, covering the outcomes in scope (2004 proposals, "Stages");
- no inspector in two places at once, nor while unavailable (leave, their own setting
  inspections);
- each body's weekly capacity for joint area reviews (ECM_PROGRAMME_REVIEW_SHARE of its
  inspectors' available days);
- the corporate assessment sequenced by the option chosen for the council (Appendix 3);
- no fieldwork while the area's organisations are under heavy other inspection (the burden
  ledger; principle (5) of the 2005 Framework: "keep to a minimum the disruption").
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from ecm_inspect.core.calendar import is_working_day
from ecm_inspect.framework.shipped import shipped_outcome_codes
from ecm_inspect.reviews.models import MilestoneKind
from ecm_inspect.reviews.timetable import timetable_compute

# School summer holidays, ours: English schools break up in the third or fourth week of July
# and go back in the first days of September. No fieldwork day falls from 22 July to
# 31 August (both included).
SUMMER_HOLIDAYS = ((7, 22), (8, 31))

# Appendix 3: "after a six- to nine-month interval", in days (6 x 30.4 and 9 x 30.4).
SEQUENCE_GAP_DAYS = (183, 274)
# Option 3, "run concurrently": the review's fieldwork overlaps the corporate assessment's
# on-site weeks (ours: the document gives no tolerance).
# Option 4, "as far apart as possible": a soft rule, a penalty for every week closer than
# FAR_APART_WEEKS (ours: a year and a half, half the cycle).
FAR_APART_WEEKS = 78

# A critical event forcing a short-notice review (Appendix 3: "a critical event which gives
# rise to the need for a joint area review ... at short notice"): analysis starts between
# URGENT_WEEKS[0] and URGENT_WEEKS[1] weeks after the event (ours).
URGENT_WEEKS = (2, 10)

# The outcomes of a full review (2005 Framework): the team covers each.
ALL_OUTCOMES = shipped_outcome_codes()


class Sequencing(enum.IntEnum):
    """Appendix 3 of the 2004 proposals: how a council's joint area review and its corporate
    assessment are timed."""

    JAR_THEN_CA = 1  # "A joint area review is followed after a six- to nine-month interval..."
    CA_THEN_JAR = 2  # "Corporate assessment is followed after a six- to nine-month interval..."
    CONCURRENT = 3  # "Corporate assessment and joint area review run concurrently."
    FAR_APART = 4  # "... timetabled as far apart as possible."


def in_summer(day: date) -> bool:
    (m1, d1), (m2, d2) = SUMMER_HOLIDAYS
    return date(day.year, m1, d1) <= day <= date(day.year, m2, d2)


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def third_anniversary(start: date, years: int) -> date:
    """The first day after the programme: `years` years from `start`."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


@dataclass(frozen=True)
class Slot:
    """The dates of a review that starts in one week, from the review timetable."""

    week: int
    analysis_start: date
    analysis_end: date
    fieldwork_start: date
    fieldwork_end: date

    @property
    def busy(self) -> tuple[tuple[date, date], tuple[date, date]]:
        """When the team is on the review: the analysis week and the fieldwork."""
        return (
            (self.analysis_start, self.analysis_end),
            (self.fieldwork_start, self.fieldwork_end),
        )

    def busy_days(self) -> list[date]:
        days = []
        for start, end in self.busy:
            day = start
            while day <= end:
                if is_working_day(day):
                    days.append(day)
                day += timedelta(days=1)
        return days


def slot_for(*, analysis_starts_on: date, week: int) -> Slot:
    dates = timetable_compute(analysis_starts_on=analysis_starts_on).dates
    return Slot(
        week=week,
        analysis_start=dates[MilestoneKind.ANALYSIS_START],
        analysis_end=dates[MilestoneKind.ANALYSIS_END],
        fieldwork_start=dates[MilestoneKind.FIELDWORK_START],
        fieldwork_end=dates[MilestoneKind.FIELDWORK_END],
    )


@dataclass(frozen=True)
class CorporateAssessment:
    """The Audit Commission's corporate assessment of the council: on site from `starts_on` to
    `ends_on`, and the Appendix 3 option chosen for it."""

    starts_on: date
    ends_on: date
    option: Sequencing


@dataclass(frozen=True)
class AreaInput:
    gss: str
    name: str
    region: str
    risk: int  # 0..100, programme.risk
    outcomes: tuple[str, ...] = ALL_OUTCOMES
    corporate_assessment: CorporateAssessment | None = None
    # Periods with heavy other inspection of the area's organisations (no fieldwork) and
    # lighter planned inspection (a penalty per overlapping day), from the burden ledger.
    heavy: tuple[tuple[date, date], ...] = ()
    light: tuple[tuple[date, date], ...] = ()
    # Periods the review may not be in (a council's dates changed).
    unavailable: tuple[tuple[date, date], ...] = ()
    # A short-notice review: analysis within URGENT_WEEKS of this date.
    urgent_from: date | None = None


@dataclass(frozen=True)
class InspectorInput:
    id: int
    body: str
    is_lead: bool
    region: str
    outcomes: frozenset[str]
    days_per_week: int = 5
    unavailable: tuple[tuple[date, date], ...] = ()
    is_active: bool = True  # False: unavailable throughout (left, date unknown)
    name: str = ""
    # The day they left the inspectorate: unavailable from it (problem_build also adds it to
    # `unavailable`, so the published document and the checker see it).
    left_on: date | None = None


@dataclass(frozen=True)
class PlannedReview:
    """A review in a plan: its dates and team."""

    gss: str
    analysis_start: date
    fieldwork_start: date
    fieldwork_end: date
    leader: int
    team: tuple[int, ...]  # every member, the leader included


class Fixity(enum.StrEnum):
    """How firmly a review of the previous plan is held when re-planning (docs/programme.md)."""

    INDICATIVE = "indicative"  # may move, at a cost per move
    CONFIRMED = "confirmed"  # its financial year is confirmed: dates fixed (hard)
    NOTIFIED = "notified"  # the area is notified (or the review started): dates and team fixed


HELD = (Fixity.CONFIRMED, Fixity.NOTIFIED)


@dataclass(frozen=True)
class Weights:
    """The objective's weights (docs/programme.md, "Objective")."""

    earliness: int = 1  # per risk point per week of waiting
    light_burden: int = 20  # per working day of fieldwork on other planned inspection
    far_apart: int = 5  # per week closer than FAR_APART_WEEKS, option 4
    travel: int = 10  # per team member from outside the area's region
    move: int = 100_000  # per review moved from the previous plan (more than any gain)
    team_change: int = 1_000  # per member changed on a review that kept its dates


@dataclass
class Problem:
    start: date
    years: int
    areas: list[AreaInput]
    inspectors: list[InspectorInput]
    team_size: int = 5  # the team the programme plans for (within team_min..team_max)
    team_min: int = 3
    team_max: int = 8
    review_share: float = 0.2  # of each body's available inspector-days, for reviews
    weights: Weights = field(default_factory=Weights)
    previous: dict[str, PlannedReview] = field(default_factory=dict)
    fixity: dict[str, Fixity] = field(default_factory=dict)
    # Held reviews whose team is held too (notified, or confirmed with its team).
    fixed_teams: set[str] = field(default_factory=set)

    # -- the calendar ---------------------------------------------------------------------

    @cached_property
    def first_monday(self) -> date:
        return self.start + timedelta(days=(7 - self.start.weekday()) % 7)

    @cached_property
    def end(self) -> date:
        """The first day after the programme."""
        return third_anniversary(self.start, self.years)

    @cached_property
    def weeks(self) -> int:
        return (self.end - self.first_monday).days // 7 + 1

    def monday(self, week: int) -> date:
        return self.first_monday + timedelta(weeks=week)

    def week_of(self, day: date) -> int:
        return (day - self.first_monday).days // 7

    @cached_property
    def slots(self) -> list[Slot]:
        """The dates of a review starting in each week (weeks past the end included: the
        horizon rule, not the calendar, rules them out)."""
        return [slot_for(analysis_starts_on=self.monday(k), week=k) for k in range(self.weeks)]

    @cached_property
    def busy_weeks(self) -> list[tuple[int, ...]]:
        """For each start week, the weeks in which the team is busy."""
        out = []
        for slot in self.slots:
            weeks = sorted({self.week_of(d) for d in slot.busy_days()})
            out.append(tuple(weeks))
        return out

    def slot_of(self, review: PlannedReview) -> Slot | None:
        k = self.week_of(review.analysis_start)
        if 0 <= k < self.weeks and self.slots[k].analysis_start == review.analysis_start:
            return self.slots[k]
        return None

    # -- reviews held from the previous plan ------------------------------------------------

    def is_held(self, gss: str) -> bool:
        """Whether the review's dates are fixed: confirmed or notified in the previous plan."""
        return gss in self.previous and self.fixity.get(gss) in HELD

    def held_week(self, gss: str) -> int | None:
        """The week a held review is fixed in (None: not held, or not a week of this
        programme)."""
        if not self.is_held(gss):
            return None
        slot = self.slot_of(self.previous[gss])
        return slot.week if slot is not None else None

    def held_team(self, gss: str) -> PlannedReview | None:
        """The previous review, when its team is held as well as its dates."""
        return self.previous[gss] if self.is_held(gss) and gss in self.fixed_teams else None

    def team_size_of(self, gss: str) -> int:
        held = self.held_team(gss)
        return len(held.team) if held is not None else self.team_size

    # -- where each area may go ------------------------------------------------------------

    def allowed_weeks(self, area: AreaInput) -> list[int]:
        """The start weeks that keep every hard rule about the area's own dates (a held
        review's week is fixed by the solver, with this rule beside it)."""
        return [k for k in range(self.weeks) if not self.week_problems(area, self.slots[k])]

    def week_problems(self, area: AreaInput, slot: Slot) -> list[str]:
        """The hard rules a review of `area` on `slot`'s dates breaks (the names are those of
        the constraints in docs/programme.md)."""
        out = []
        if slot.analysis_start < self.start or slot.fieldwork_end >= self.end:
            out.append("within three years")
        fieldwork = (slot.fieldwork_start, slot.fieldwork_end)
        day = slot.fieldwork_start
        while day <= slot.fieldwork_end:
            if in_summer(day):
                out.append("no fieldwork in the summer holidays")
                break
            day += timedelta(days=1)
        if any(overlaps(*fieldwork, s, e) for s, e in area.heavy):
            out.append("no fieldwork during heavy inspection")
        if any(
            overlaps(slot.analysis_start, slot.fieldwork_end, s, e) for s, e in area.unavailable
        ):
            out.append("the council's dates")
        if area.urgent_from is not None:
            earliest = area.urgent_from + timedelta(weeks=URGENT_WEEKS[0])
            latest = area.urgent_from + timedelta(weeks=URGENT_WEEKS[1])
            if not earliest <= slot.analysis_start <= latest:
                out.append("short-notice review")
        ca = area.corporate_assessment
        if ca is not None and not sequencing_kept(
            ca, slot.analysis_start, slot.fieldwork_start, slot.fieldwork_end
        ):
            out.append(f"corporate assessment option {int(ca.option)}")
        return out

    # -- the soft costs of a slot ------------------------------------------------------------

    def slot_cost(self, area: AreaInput, week: int) -> int:
        """The schedule's part of the objective for `area` in `week` (docs/programme.md)."""
        w = self.weights
        slot = self.slots[week]
        cost = w.earliness * area.risk * week
        light_days = sum(
            1
            for day in _days(slot.fieldwork_start, slot.fieldwork_end)
            if is_working_day(day) and any(s <= day <= e for s, e in area.light)
        )
        cost += w.light_burden * light_days
        ca = area.corporate_assessment
        if ca is not None and ca.option == Sequencing.FAR_APART:
            cost += w.far_apart * far_apart_shortfall(ca, slot.analysis_start)
        held = self.previous.get(area.gss)
        if held is not None and held.analysis_start != slot.analysis_start:
            cost += w.move
        return cost

    # -- inspectors ----------------------------------------------------------------------

    @cached_property
    def unavailable_days(self) -> dict[int, set[date]]:
        out: dict[int, set[date]] = {}
        for i in self.inspectors:
            days: set[date] = set()
            for s, e in i.unavailable:
                days.update(_days(max(s, self.first_monday), min(e, self.end + timedelta(days=60))))
            out[i.id] = days
        return out

    @cached_property
    def available_in_week(self) -> dict[int, list[bool]]:
        """Whether each inspector is free every working day of each week."""
        out = {}
        for i in self.inspectors:
            off = self.unavailable_days[i.id]
            out[i.id] = [
                i.is_active
                and not any(
                    d in off for d in _days(self.monday(t), self.monday(t) + timedelta(days=4))
                )
                for t in range(self.weeks + 6)
            ]
        return out

    @cached_property
    def _serves(self) -> dict[int, list[bool]]:
        busy = [slot.busy_days() for slot in self.slots]
        out = {}
        for i in self.inspectors:
            off = self.unavailable_days[i.id]
            out[i.id] = [i.is_active and not any(d in off for d in days) for days in busy]
        return out

    def can_serve(self, inspector: InspectorInput, week: int) -> bool:
        """Free (active, no leave, no setting inspection) on every busy day of a review
        starting in `week`."""
        return self._serves[inspector.id][week]

    @cached_property
    def bodies(self) -> list[str]:
        return sorted({i.body for i in self.inspectors})

    @cached_property
    def capacity(self) -> dict[str, list[int]]:
        """Each body's capacity for reviews per week: the share of its available inspectors'
        days (days a week / 5 each), rounded down."""
        out = {}
        for b in self.bodies:
            members = [i for i in self.inspectors if i.body == b]
            out[b] = [
                int(
                    self.review_share
                    * sum(i.days_per_week / 5 for i in members if self.available_in_week[i.id][t])
                    + 1e-9
                )
                for t in range(self.weeks + 6)
            ]
        return out

    def travel_cost(self, inspector: InspectorInput, area: AreaInput) -> int:
        return self.weights.travel if inspector.region != area.region else 0


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def sequencing_kept(
    ca: CorporateAssessment, analysis_start: date, fieldwork_start: date, fieldwork_end: date
) -> bool:
    """Whether a review on these dates keeps the council's Appendix 3 option (option 4 is a
    preference, always kept)."""
    low, high = SEQUENCE_GAP_DAYS
    if ca.option == Sequencing.JAR_THEN_CA:
        return low <= (ca.starts_on - fieldwork_end).days <= high
    if ca.option == Sequencing.CA_THEN_JAR:
        return low <= (analysis_start - ca.ends_on).days <= high
    if ca.option == Sequencing.CONCURRENT:
        return overlaps(fieldwork_start, fieldwork_end, ca.starts_on, ca.ends_on)
    return True


def far_apart_shortfall(ca: CorporateAssessment, analysis_start: date) -> int:
    """Option 4: weeks closer than FAR_APART_WEEKS between the review and the assessment."""
    apart = abs((analysis_start - ca.starts_on).days) // 7
    return max(0, FAR_APART_WEEKS - apart)
