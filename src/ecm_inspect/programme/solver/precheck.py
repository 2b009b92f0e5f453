"""Checks before solving: what no plan could satisfy (an area with no week it may start in, a
week with more reviews fixed than the inspectors can staff...), each a reason naming the area
and the rule."""

from __future__ import annotations

from collections import defaultdict

from ..problem import Problem
from .common import Reason
from .weeks import _staffable_weeks, _week_capacity

BUSY_WEEKS = 3  # weeks a team is busy on a review (analysis, two of fieldwork)


def _week_problems(problem: Problem) -> tuple[list[Reason], dict[str, list[int]]]:
    """No week where the bodies can give a whole team; and the weeks each area could be
    staffed in (one dummy week each when none can, so it is said once, not per area)."""
    staffable = _staffable_weeks(problem)
    total, _, _ = _week_capacity(problem)
    most = max(total[: problem.weeks], default=0)
    if most >= problem.team_size:
        return [], staffable
    reason = Reason(
        "body capacity",
        f"in no week can the bodies give a team of {problem.team_size}: at most {most} "
        f"inspectors a week (share {problem.review_share:.0%} of available days): short "
        f"by {problem.team_size - most}",
        float(problem.team_size - most),
    )
    return [reason], {a.gss: [0] for a in problem.areas}


def _area_problems(problem: Problem, staffable: dict[str, list[int]]) -> list[Reason]:
    """Each area: a held review off this programme's weeks, no week it can be staffed in,
    or no week that keeps its own rules."""
    reasons: list[Reason] = []
    for area in problem.areas:
        if problem.is_held(area.gss):
            if problem.held_week(area.gss) is None:
                held = problem.previous[area.gss]
                reasons.append(
                    Reason(
                        "held reviews stay fixed",
                        f"the {problem.fixity[area.gss]} review of {area.name} ({area.gss}) "
                        f"from {held.analysis_start:%-d %B %Y} is not on a week of this "
                        f"programme ({problem.start:%-d %B %Y} for {problem.years} years)",
                        1.0,
                    )
                )
            continue  # its week is fixed: the solver says what, if anything, it breaks
        if problem.allowed_weeks(area) and not staffable[area.gss]:
            reasons.append(
                Reason(
                    "body capacity",
                    f"{area.name} ({area.gss}): every week its own rules allow falls where the "
                    f"bodies cannot give a team of {problem.team_size} with a leader (e.g. "
                    "everyone on leave at Christmas)",
                    float(problem.team_size),
                )
            )
        if not problem.allowed_weeks(area):
            why: dict[str, int] = defaultdict(int)
            for slot in problem.slots:
                for p in problem.week_problems(area, slot):
                    why[p] += 1
            names = ", ".join(
                f"{k} (rules out {v} of {problem.weeks} weeks)" for k, v in why.items()
            )
            reasons.append(
                Reason(
                    "area's own dates",
                    f"{area.name} ({area.gss}) has no week that keeps every rule: {names}",
                    float(problem.weeks),
                )
            )
    return reasons


def _team_problems(problem: Problem) -> list[Reason]:
    """What no team could have: two bodies, the expertise every review needs, a leader."""
    reasons: list[Reason] = []
    active = [i for i in problem.inspectors if i.is_active]
    bodies_free = {b for b in problem.bodies if any(problem.capacity[b])}
    if len(bodies_free) < 2:
        reasons.append(
            Reason(
                "at least two bodies",
                "teams need inspectors from at least two bodies; only "
                f"{', '.join(sorted(bodies_free)) or 'none'} can give any inspector time to "
                "reviews",
                float(2 - len(bodies_free)),
            )
        )
    for outcome in sorted({o for a in problem.areas for o in a.outcomes}):
        experts = [i for i in active if outcome in i.outcomes]
        if not experts:
            reasons.append(
                Reason(
                    "expertise",
                    f"nobody available has expertise in {outcome}, which every review in scope "
                    "of it needs",
                    1.0,
                )
            )
    if not any(i.is_lead for i in active):
        reasons.append(Reason("a team leader", "no active inspector has the lead grade", 1.0))
    return reasons


def _capacity_problems(problem: Problem) -> list[Reason]:
    """The programme's demand for inspector-weeks and leader-weeks against the supply, and a
    team size outside the rules."""
    reasons: list[Reason] = []
    busy = BUSY_WEEKS
    active = [i for i in problem.inspectors if i.is_active]
    n = len(problem.areas)
    demand = n * problem.team_size * busy
    supply = sum(sum(c[: problem.weeks]) for c in problem.capacity.values())
    if demand > supply:
        reasons.append(
            Reason(
                "body capacity",
                f"{n} reviews with teams of {problem.team_size} need {demand} inspector-weeks; "
                f"the bodies can give {supply} in the {problem.years} years (share "
                f"{problem.review_share:.0%} of available days): short by {demand - supply}",
                float(demand - supply),
            )
        )
    leads = sum(sum(problem.available_in_week[i.id][: problem.weeks]) for i in active if i.is_lead)
    if n * busy > leads:
        reasons.append(
            Reason(
                "a team leader",
                f"{n} reviews need {n * busy} leader-weeks; lead inspectors are free for "
                f"{leads}: short by {n * busy - leads}",
                float(n * busy - leads),
            )
        )
    if problem.team_size < problem.team_min or problem.team_size > problem.team_max:
        reasons.append(
            Reason(
                "team size",
                f"the planned team of {problem.team_size} is outside "
                f"{problem.team_min}-{problem.team_max}",
                float(abs(problem.team_size - problem.team_min)),
            )
        )
    return reasons


def precheck(problem: Problem) -> list[Reason]:
    """Reasons the programme cannot be made that arithmetic shows without a solver."""
    reasons, staffable = _week_problems(problem)
    reasons += _area_problems(problem, staffable)
    reasons += _team_problems(problem)
    reasons += _capacity_problems(problem)
    return reasons
