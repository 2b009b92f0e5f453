"""The greedy baseline, kept to compare CP-SAT with: areas in order of risk (highest first;
reviews held fixed, then areas with a narrow window, go first), each in the first week where
its own rules hold and a team can be formed there, the team picked one inspector at a time (a
leader first, then whoever covers a missing outcome or a second body, nearest first)."""

from __future__ import annotations

import time
from collections import defaultdict

from .problem import AreaInput, InspectorInput, PlannedReview, Problem
from .solver import Result, plan_objective

# An area with fewer allowed start weeks than this is placed in the second pass.
NARROW_WEEKS = 26


def greedy(problem: Problem) -> Result:
    started = time.monotonic()
    body_used: dict[tuple[str, int], int] = defaultdict(int)
    busy: dict[int, set[int]] = defaultdict(set)
    reviews: list[PlannedReview] = []
    unplaced: list[str] = []
    # Risk order, in three passes: reviews held fixed, then areas whose own rules leave
    # few weeks (a corporate assessment option, a short-notice review), then the rest.
    allowed = {a.gss: problem.allowed_weeks(a) for a in problem.areas}

    for a in problem.areas:
        if problem.is_held(a.gss):  # held reviews stay in their week
            week = problem.held_week(a.gss)
            allowed[a.gss] = [week] if week is not None and week in allowed[a.gss] else []

    def rank(a: AreaInput) -> tuple[int, int, str]:
        narrow = len(allowed[a.gss]) < NARROW_WEEKS
        return (0 if problem.is_held(a.gss) else 1 if narrow else 2, -a.risk, a.gss)

    order = sorted(problem.areas, key=rank)
    for area in order:
        for k in allowed[area.gss]:
            team = (
                _held_team(problem, area.gss, k, body_used, busy)
                if problem.held_team(area.gss) is not None
                else _team(problem, area, k, body_used, busy)
            )
            if team is None:
                continue
            leader, members = team
            for i in members:
                for t in problem.busy_weeks[k]:
                    busy[i.id].add(t)
                    body_used[i.body, t] += 1
            slot = problem.slots[k]
            reviews.append(
                PlannedReview(
                    gss=area.gss,
                    analysis_start=slot.analysis_start,
                    fieldwork_start=slot.fieldwork_start,
                    fieldwork_end=slot.fieldwork_end,
                    leader=leader.id,
                    team=tuple(sorted(i.id for i in members)),
                )
            )
            break
        else:
            unplaced.append(area.gss)
    reviews.sort(key=lambda r: (r.analysis_start, r.gss))
    objective = plan_objective(problem, reviews) if not unplaced else None
    return Result(
        reviews,
        "GREEDY" if not unplaced else "GREEDY_INCOMPLETE",
        objective,
        None,
        time.monotonic() - started,
        "greedy",
        unplaced=unplaced,
    )


def _held_team(
    problem: Problem,
    gss: str,
    k: int,
    body_used: dict[tuple[str, int], int],
    busy: dict[int, set[int]],
) -> tuple[InspectorInput, list[InspectorInput]] | None:
    """A held team, as it was, if every member is still free."""
    held = problem.held_team(gss)
    people = {i.id: i for i in problem.inspectors}
    if held is None or held.leader not in people or any(n not in people for n in held.team):
        return None
    team = [people[n] for n in held.team]
    weeks = problem.busy_weeks[k]
    for i in team:
        if any(t in busy[i.id] for t in weeks) or not problem.can_serve(i, k):
            return None
        extra = sum(1 for j in team if j.body == i.body)
        if any(body_used[i.body, t] + extra > problem.capacity[i.body][t] for t in weeks):
            return None
    return people[held.leader], team


def _team(
    problem: Problem,
    area: AreaInput,
    k: int,
    body_used: dict[tuple[str, int], int],
    busy: dict[int, set[int]],
) -> tuple[InspectorInput, list[InspectorInput]] | None:
    weeks = problem.busy_weeks[k]

    def free(i: InspectorInput, taken: list[InspectorInput]) -> bool:
        if any(t in busy[i.id] for t in weeks) or not problem.can_serve(i, k):
            return False
        extra = sum(1 for j in taken if j.body == i.body)
        return all(body_used[i.body, t] + extra < problem.capacity[i.body][t] for t in weeks)

    def near(i: InspectorInput) -> tuple[int, int]:
        return (problem.travel_cost(i, area), i.id)

    pool = sorted(problem.inspectors, key=near)
    leader = next((i for i in pool if i.is_lead and free(i, [])), None)
    if leader is None:
        return None
    team = [leader]
    while len(team) < problem.team_size:
        covered = {o for i in team for o in i.outcomes}
        missing = [o for o in area.outcomes if o not in covered]
        bodies = {i.body for i in team}
        candidates = [i for i in pool if i not in team and free(i, team)]
        if not candidates:
            return None

        def useful(
            i: InspectorInput, missing: list[str] = missing, bodies: set[str] = bodies
        ) -> tuple[int, int, tuple[int, int]]:
            gain = sum(1 for o in missing if o in i.outcomes)
            return (-gain, 0 if (len(bodies) < 2 and i.body not in bodies) else 1, near(i))

        team.append(min(candidates, key=useful))
    covered = {o for i in team for o in i.outcomes}
    if len({i.body for i in team}) < 2 or any(o not in covered for o in area.outcomes):
        return None
    return leader, team
