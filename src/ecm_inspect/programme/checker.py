"""An independent check of a programme: every hard constraint, from the JSON document and the
facts it was planned against (the context), without the solver or its week model.

`programme_check(document, context)` returns every violation found, each naming its
constraint (the names of docs/programme.md) and the review or inspector. A programme the
solver produced, the greedy baseline, or anyone's hand-made one are checked the same way.

The context (`context_build` makes it from a problem; `ecm programme plan --context PATH`
writes it) holds: start, years, team_min, team_max; per area (GSS code) its region, the
outcomes in scope, corporate assessment (starts_on, ends_on, option), heavy inspection
periods, unavailable periods, a short-notice date; per inspector: lead grade, outcomes,
active; each body's capacity per week (keyed by the week's Monday); and the reviews held
fixed (confirmed or notified) with their analysis start, and their team and leader where
those are held too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ecm_inspect.core.calendar import add_working_days, is_working_day, next_working_day

# The document's own rules, restated here rather than imported from the planner.
ANALYSIS_DAYS, GAP_DAYS, FIELDWORK_DAYS = 5, 10, 10  # 2004 proposals, "Stages"
SUMMER = ((7, 22), (8, 31))  # no fieldwork (problem.SUMMER_HOLIDAYS)
SIX_TO_NINE_MONTHS = (183, 274)  # Appendix 3, in days
URGENT = (2, 10)  # weeks after a critical event (problem.URGENT_WEEKS)


@dataclass(frozen=True)
class Violation:
    constraint: str
    detail: str

    def __str__(self) -> str:
        return f"{self.constraint}: {self.detail}"


def _d(value: str) -> date:
    return date.fromisoformat(value)


def _working_days(start: date, end: date) -> list[date]:
    out, day = [], start
    while day <= end:
        if is_working_day(day):
            out.append(day)
        day += timedelta(days=1)
    return out


def _overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


@dataclass(frozen=True)
class _Review:
    """One review of the document, with its dates read and its area's facts."""

    gss: str
    where: str
    planned: dict[str, Any]  # the review as the document has it
    area: dict[str, Any]  # the area as the context has it
    a0: date  # analysis, first and last working day
    a1: date
    f0: date  # fieldwork, first and last working day
    f1: date

    @property
    def team(self) -> list[dict[str, Any]]:
        return list(self.planned.get("team", []))

    @property
    def ids(self) -> list[str]:
        return [str(m["inspector"]) for m in self.team]

    @property
    def days(self) -> list[date]:
        """The working days of analysis and fieldwork."""
        return _working_days(self.a0, self.a1) + _working_days(self.f0, self.f1)


@dataclass
class _Bookings:
    """What the reviews book, for the rules across reviews: each area's reviews, each
    inspector's periods on reviews, and who each body gives to reviews each week (by Monday)."""

    seen: dict[str, int]
    busy: dict[str, list[tuple[str, tuple[date, date]]]]
    body_days: dict[tuple[str, date], set[tuple[str, str]]]


def programme_check(document: dict[str, Any], context: dict[str, Any]) -> list[Violation]:
    out: list[Violation] = []
    start = _d(context["start"])
    years = int(context["years"])
    try:
        end = start.replace(year=start.year + years)
    except ValueError:
        end = start.replace(year=start.year + years, day=28)
    areas: dict[str, Any] = context["areas"]
    people: dict[str, Any] = {str(k): v for k, v in context["inspectors"].items()}
    bodies_of = {str(i["id"]): i["body"] for i in document.get("inspectors", [])}
    off = {
        str(i["id"]): [(_d(s), _d(e)) for s, e in i.get("unavailable", [])]
        for i in document.get("inspectors", [])
    }
    booked = _Bookings(seen=defaultdict(int), busy=defaultdict(list), body_days=defaultdict(set))
    for r in document.get("reviews", []):
        gss = r["area"]
        booked.seen[gss] += 1
        if gss not in areas:
            out.append(Violation("every area once", f"{gss} is not an area of the programme"))
            continue
        review = _review(r, areas[gss])
        out += _timetable(review)
        out += _within_the_programme(review, start, end)
        out += _summer_holidays(review)
        out += _heavy_inspection(review)
        out += _councils_dates(review)
        out += _short_notice(review)
        ca = review.area.get("corporate_assessment")
        if ca:
            out += _sequencing(review.where, ca, review.a0, review.f0, review.f1)
        out += _held_fixed(review, context.get("fixed", {}).get(gss))
        out += _team_size(review, context)
        out += _team_leader(review, people)
        out += _inspectors(review, people, bodies_of)
        out += _two_bodies(review)
        out += _expertise(review, people)
        out += _inspectors_available(review, off)
        _book(review, booked, bodies_of)
    out += _every_area_once(areas, booked.seen)
    out += _one_place_at_once(booked.busy)
    out += _body_capacity(booked.body_days, context.get("capacity", {}))
    return out


def _review(r: dict[str, Any], area: dict[str, Any]) -> _Review:
    a0 = _d(r["analysis_start"])
    return _Review(
        gss=r["area"],
        where=f"the review of {r['area']}",
        planned=r,
        area=area,
        a0=a0,
        a1=add_working_days(a0, ANALYSIS_DAYS - 1),
        f0=_d(r["fieldwork_start"]),
        f1=_d(r["fieldwork_end"]),
    )


def _timetable(review: _Review) -> list[Violation]:
    """The timetable: a working day, then 5, 10 and 10 working days."""
    out = []
    where, a0, a1, f0, f1 = review.where, review.a0, review.a1, review.f0, review.f1
    if next_working_day(a0) != a0:
        out.append(Violation("timetable", f"{where}: analysis starts on {a0}, not a working day"))
    if f0 != add_working_days(a1, GAP_DAYS + 1) or f1 != add_working_days(f0, FIELDWORK_DAYS - 1):
        out.append(
            Violation(
                "timetable",
                f"{where}: fieldwork {f0} to {f1} does not follow an analysis week from {a0}",
            )
        )
    return out


def _within_the_programme(review: _Review, start: date, end: date) -> list[Violation]:
    if review.a0 < start or review.f1 >= end:
        return [
            Violation(
                "within three years",
                f"{review.where}: {review.a0} to {review.f1} is outside {start} to {end}",
            )
        ]
    return []


def _summer_holidays(review: _Review) -> list[Violation]:
    summer_days = [
        d
        for d in _working_days(review.f0, review.f1)
        if date(d.year, *SUMMER[0]) <= d <= date(d.year, *SUMMER[1])
    ]
    if summer_days:
        return [
            Violation(
                "no fieldwork in the summer holidays",
                f"{review.where}: {len(summer_days)} fieldwork days from {summer_days[0]}",
            )
        ]
    return []


def _heavy_inspection(review: _Review) -> list[Violation]:
    return [
        Violation(
            "no fieldwork during heavy inspection",
            f"{review.where}: fieldwork overlaps other inspection {s} to {e}",
        )
        for s, e in review.area.get("heavy", [])
        if _overlap((review.f0, review.f1), (_d(s), _d(e)))
    ]


def _councils_dates(review: _Review) -> list[Violation]:
    return [
        Violation("the council's dates", f"{review.where}: overlaps {s} to {e}")
        for s, e in review.area.get("unavailable", [])
        if _overlap((review.a0, review.f1), (_d(s), _d(e)))
    ]


def _short_notice(review: _Review) -> list[Violation]:
    if not review.area.get("urgent_from"):
        return []
    u, a0 = _d(review.area["urgent_from"]), review.a0
    if not u + timedelta(weeks=URGENT[0]) <= a0 <= u + timedelta(weeks=URGENT[1]):
        return [
            Violation(
                "short-notice review",
                f"{review.where}: analysis {a0} is not {URGENT[0]}-{URGENT[1]} weeks after {u}",
            )
        ]
    return []


def _held_fixed(review: _Review, fixed: dict[str, Any] | None) -> list[Violation]:
    out = []
    r, where = review.planned, review.where
    if fixed and fixed["analysis_start"] != r["analysis_start"]:
        out.append(
            Violation(
                "held reviews stay fixed",
                f"{where}: {fixed.get('fixity', 'held')} for {fixed['analysis_start']}, "
                f"planned for {review.a0}",
            )
        )
    if fixed and fixed.get("team") is not None:
        team_now = sorted(m["inspector"] for m in r.get("team", []))
        if team_now != sorted(fixed["team"]) or fixed.get("leader") != r.get("leader"):
            out.append(
                Violation(
                    "held reviews stay fixed",
                    f"{where}: its team is held as {sorted(fixed['team'])} led by "
                    f"{fixed.get('leader')}, planned as {team_now} led by {r.get('leader')}",
                )
            )
    return out


def _team_size(review: _Review, context: dict[str, Any]) -> list[Violation]:
    out = []
    ids = review.ids
    if len(set(ids)) != len(ids):
        out.append(Violation("team size", f"{review.where}: an inspector is listed twice"))
    if not context["team_min"] <= len(set(ids)) <= context["team_max"]:
        out.append(
            Violation(
                "team size",
                f"{review.where}: {len(set(ids))} people, not {context['team_min']}-"
                f"{context['team_max']}",
            )
        )
    return out


def _team_leader(review: _Review, people: dict[str, Any]) -> list[Violation]:
    leader = str(review.planned.get("leader"))
    if leader not in review.ids:
        return [Violation("a team leader", f"{review.where}: the leader is not on the team")]
    if not people.get(leader, {}).get("lead"):
        return [Violation("a team leader", f"{review.where}: inspector {leader} cannot lead")]
    return []


def _inspectors(
    review: _Review, people: dict[str, Any], bodies_of: dict[str, Any]
) -> list[Violation]:
    out = []
    where = review.where
    for m in review.team:
        iid = str(m["inspector"])
        if iid not in people or iid not in bodies_of:
            out.append(Violation("inspectors", f"{where}: unknown inspector {iid}"))
        elif bodies_of[iid] != m["body"]:
            out.append(Violation("inspectors", f"{where}: inspector {iid} is not of {m['body']}"))
        elif not people[iid].get("active", True):
            out.append(Violation("inspectors", f"{where}: inspector {iid} has left"))
    return out


def _two_bodies(review: _Review) -> list[Violation]:
    if len({m["body"] for m in review.team}) < 2:
        return [Violation("at least two bodies", f"{review.where}: one body only")]
    return []


def _expertise(review: _Review, people: dict[str, Any]) -> list[Violation]:
    covered = {o for iid in review.ids for o in people.get(iid, {}).get("outcomes", [])}
    missing = [o for o in review.area.get("outcomes", []) if o not in covered]
    if missing:
        return [Violation("expertise", f"{review.where}: nobody covers {', '.join(missing)}")]
    return []


def _inspectors_available(
    review: _Review, off: dict[str, list[tuple[date, date]]]
) -> list[Violation]:
    out = []
    days = review.days
    for iid in review.ids:
        for s, e in off.get(iid, []):
            if any(s <= d <= e for d in days):
                out.append(
                    Violation(
                        "inspector available",
                        f"{review.where}: inspector {iid} is unavailable {s} to {e}",
                    )
                )
                break
    return out


def _book(review: _Review, booked: _Bookings, bodies_of: dict[str, Any]) -> None:
    """Record the review's inspectors' periods and working weeks, for the rules across reviews."""
    days = review.days
    for iid in review.ids:
        for period in ((review.a0, review.a1), (review.f0, review.f1)):
            booked.busy[iid].append((review.gss, period))
        for d in days:
            booked.body_days[(bodies_of.get(iid, "?"), d - timedelta(days=d.weekday()))].add(
                (iid, review.gss)
            )


def _every_area_once(areas: dict[str, Any], seen: dict[str, int]) -> list[Violation]:
    return [
        Violation("every area once", f"{gss} has {seen[gss]} reviews")
        for gss in areas
        if seen[gss] != 1
    ]


def _one_place_at_once(
    busy: dict[str, list[tuple[str, tuple[date, date]]]],
) -> list[Violation]:
    out = []
    for iid, periods in busy.items():
        periods.sort(key=lambda x: x[1][0])
        for (g1, p1), (g2, p2) in zip(periods, periods[1:], strict=False):
            if g1 != g2 and _overlap(p1, p2):
                out.append(
                    Violation(
                        "no inspector in two places at once",
                        f"inspector {iid} is on {g1} and {g2} from {p2[0]}",
                    )
                )
    return out


def _body_capacity(
    body_days: dict[tuple[str, date], set[tuple[str, str]]], capacity: dict[str, Any]
) -> list[Violation]:
    out = []
    for (body, monday), members in sorted(body_days.items()):
        people_on = {iid for iid, _ in members}
        cap = capacity.get(body, {}).get(monday.isoformat(), 0)
        if len(people_on) > cap:
            out.append(
                Violation(
                    "body capacity",
                    f"{body} gives {len(people_on)} inspectors to reviews in the week of "
                    f"{monday}, capacity {cap}",
                )
            )
    return out


def _sequencing(where: str, ca: dict[str, Any], a0: date, f0: date, f1: date) -> list[Violation]:
    option = int(ca["option"])
    s, e = _d(ca["starts_on"]), _d(ca["ends_on"])
    low, high = SIX_TO_NINE_MONTHS
    name = f"corporate assessment option {option}"
    if option == 1 and not low <= (s - f1).days <= high:
        return [Violation(name, f"{where}: {(s - f1).days} days before the assessment")]
    if option == 2 and not low <= (a0 - e).days <= high:
        return [Violation(name, f"{where}: {(a0 - e).days} days after the assessment")]
    if option == 3 and not _overlap((f0, f1), (s, e)):
        return [Violation(name, f"{where}: fieldwork does not overlap {s} to {e}")]
    return []


def context_build(problem: Any) -> dict[str, Any]:
    """The checker's context from a `problem.Problem` (the facts the plan was made against)."""
    fixed = {}
    for g in problem.previous:
        if not problem.is_held(g):
            continue
        held = problem.previous[g]
        fixed[g] = {"analysis_start": held.analysis_start.isoformat(), "fixity": problem.fixity[g]}
        if problem.held_team(g) is not None:
            fixed[g] |= {"team": sorted(held.team), "leader": held.leader}
    return {
        "start": problem.start.isoformat(),
        "years": problem.years,
        "team_min": problem.team_min,
        "team_max": problem.team_max,
        "areas": {
            a.gss: {
                "region": a.region,
                "outcomes": list(a.outcomes),
                "corporate_assessment": {
                    "starts_on": a.corporate_assessment.starts_on.isoformat(),
                    "ends_on": a.corporate_assessment.ends_on.isoformat(),
                    "option": int(a.corporate_assessment.option),
                }
                if a.corporate_assessment
                else None,
                "heavy": [[s.isoformat(), e.isoformat()] for s, e in a.heavy],
                "unavailable": [[s.isoformat(), e.isoformat()] for s, e in a.unavailable],
                "urgent_from": a.urgent_from.isoformat() if a.urgent_from else None,
            }
            for a in problem.areas
        },
        "inspectors": {
            str(i.id): {"lead": i.is_lead, "outcomes": sorted(i.outcomes), "active": i.is_active}
            for i in problem.inspectors
        },
        "capacity": {
            b: {problem.monday(t).isoformat(): c for t, c in enumerate(caps)}
            for b, caps in problem.capacity.items()
        },
        "fixed": fixed,
    }
