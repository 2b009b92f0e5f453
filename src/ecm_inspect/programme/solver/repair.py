"""Solving the programme: stage 1, then stage 2, repairing weeks found unstaffable and lowering
the capacity when stage 2 fails; the held reviews kept or the refusal explained."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from ..problem import PlannedReview, Problem
from .common import MAX_CONFLICTS, REPAIRS, STAGE1_MARGINS, STAGE1_SHARE, Progress, Reason, Result
from .precheck import precheck
from .teams import _stage2
from .weeks import _stage1


def _held_teams_check(problem: Problem, *, seconds: float, seed: int) -> list[Reason]:
    """Whether the reviews held with their teams can all be kept, on their own: CP-SAT with
    each held member and leader as an assumption, so an infeasible core names them. The core
    is then made minimal by review (each held review left out in turn, and kept out if the
    rest still cannot be kept), so that the reasons name only the reviews in conflict."""
    weeks = {
        g: w
        for g in sorted(problem.fixed_teams)
        if (w := problem.held_week(g)) is not None and problem.held_team(g) is not None
    }
    if not weeks:
        return []
    deadline = time.monotonic() + seconds

    def attempt(subset: dict[str, int], core: list[str] | None = None) -> tuple[str, list[Reason]]:
        status, _, _, _, why = _stage2(
            problem,
            subset,
            seconds=max(deadline - time.monotonic(), 0.5),
            workers=1,
            seed=seed,
            progress=None,
            started=time.monotonic(),
            explain=True,
            core_out=core,
        )
        return status, why

    reasons: list[Reason] = []
    remaining = dict(weeks)
    # Each conflict in turn (up to MAX_CONFLICTS): found, made minimal, explained, set aside.
    for _ in range(MAX_CONFLICTS):
        core: list[str] = []
        status, why = attempt(remaining, core)
        if status != "INFEASIBLE":
            break
        # Start from the reviews CP-SAT's core names (sufficient, not always minimal).
        named = {n.split(":")[1] for n in core}
        conflict = {g: w for g, w in remaining.items() if g in named} or dict(remaining)
        for gss in list(conflict):
            if time.monotonic() > deadline:
                break
            rest = {g: w for g, w in conflict.items() if g != gss}
            if rest and attempt(rest)[0] == "INFEASIBLE":
                conflict = rest
        if len(conflict) < len(remaining):
            status, why = attempt(conflict)
        reasons += why or [Reason("held reviews stay fixed", "the held teams cannot all be kept")]
        remaining = {g: w for g, w in remaining.items() if g not in conflict}
        if not remaining or time.monotonic() > deadline:
            break
    return reasons


def _reviews(
    problem: Problem, weeks: dict[str, int], teams: dict[str, tuple[int, list[int]]]
) -> list[PlannedReview]:
    out = []
    for a in problem.areas:
        slot = problem.slots[weeks[a.gss]]
        leader, members = teams[a.gss]
        out.append(
            PlannedReview(
                gss=a.gss,
                analysis_start=slot.analysis_start,
                fieldwork_start=slot.fieldwork_start,
                fieldwork_end=slot.fieldwork_end,
                leader=leader,
                team=tuple(members),
            )
        )
    return sorted(out, key=lambda r: (r.analysis_start, r.gss))


def held_summary(problem: Problem) -> dict[str, int]:
    """How many reviews a re-plan holds fixed: confirmed, notified, and with their teams."""
    held = [g for g in problem.previous if problem.is_held(g)]
    return {
        "confirmed": sum(1 for g in held if problem.fixity[g] == "confirmed"),
        "notified": sum(1 for g in held if problem.fixity[g] == "notified"),
        "with_teams": sum(1 for g in held if problem.held_team(g) is not None),
    }


def _repair(
    problem: Problem,
    time_limit: float,
    workers: int,
    seed: int,
    progress: Progress | None,
    started: float,
    stages: dict[str, Any],
) -> tuple[Result | None, dict[str, int] | None]:
    """Re-planning: stage 1 at full capacity (warm-started from the previous plan), then
    stage 2. If stage 2 proves there are no teams for those weeks, it is solved again allowed
    to leave reviews without a team, to find the fewest that cannot be staffed; each is barred
    from its week and stage 1 solved again, up to REPAIRS times. (Lowering the capacity
    everywhere, STAGE1_MARGINS, would move reviews that need not move.) Returns the
    programme, or None and the last weeks tried, for the margins to start from."""
    banned: dict[str, set[int]] = defaultdict(set)
    weeks: dict[str, int] | None = None
    budget = started + time_limit * 0.6  # the rest for the margins, if it comes to them
    for repair in range(REPAIRS):
        left = budget - time.monotonic()
        if left <= 1:
            break
        status1, found, obj1, bound1, _ = _stage1(
            problem,
            seconds=left * STAGE1_SHARE,
            workers=workers,
            seed=seed,
            margin=1.0,
            progress=progress,
            started=started,
            hint=weeks,
            banned=banned,
        )
        if repair == 0 and bound1 is not None:
            stages["relaxation_bound"] = bound1
        stages["weeks"] = {"status": status1, "objective": obj1, "bound": bound1, "margin": 1.0}
        stages["repairs"] = repair
        if not found:
            break
        weeks = found
        left = budget - time.monotonic()
        status2, teams, obj2, bound2, why = _stage2(
            problem,
            weeks,
            seconds=max(left * 0.6, 1.0),
            workers=workers,
            seed=seed,
            progress=progress,
            started=started,
        )
        stages["teams"] = {"status": status2, "objective": obj2, "bound": bound2}
        if teams:
            figures = (status1, obj1, bound1, status2, obj2, bound2)
            return _programme(problem, weeks, teams, figures, started, stages), weeks
        if status2 != "INFEASIBLE":
            break  # out of time: the margins take over
        status2, teams, _, _, _ = _stage2(
            problem,
            weeks,
            seconds=max((budget - time.monotonic()) * 0.5, 1.0),
            workers=workers,
            seed=seed,
            progress=None,
            started=started,
            soft=True,
        )
        missing = set(weeks) - set(teams)
        if status2 not in ("OPTIMAL", "FEASIBLE") or not missing:
            break
        if any(problem.is_held(g) for g in missing):
            break  # a held review's week cannot change: the margins move others instead
        for gss in missing:
            banned[gss].add(weeks[gss])
    return None, weeks


def _programme(
    problem: Problem,
    weeks: dict[str, int],
    teams: dict[str, tuple[int, list[int]]],
    figures: tuple[str, int | None, int | None, str, int | None, int | None],
    started: float,
    stages: dict[str, Any],
) -> Result:
    """The programme both stages made: optimal only if both proved it; the objective and bound
    the two stages' together."""
    status1, obj1, bound1, status2, obj2, bound2 = figures
    if obj1 is None or bound1 is None or obj2 is None or bound2 is None:
        raise RuntimeError("CP-SAT returned a solution without its figures")
    status = "OPTIMAL" if status1 == status2 == "OPTIMAL" else "FEASIBLE"
    return Result(
        _reviews(problem, weeks, teams),
        status,
        obj1 + obj2,
        bound1 + bound2,
        time.monotonic() - started,
        "cp-sat",
        stages=stages,
    )


def _no_weeks(
    problem: Problem,
    status: str,
    margin: float,
    time_limit: float,
    seed: int,
    started: float,
    stages: dict[str, Any],
) -> Result:
    """Stage 1 found no weeks at full capacity: why, from the infeasible core (the rules no
    set of weeks can keep), or that time ran out."""
    if status == "INFEASIBLE":
        _, _, _, _, why = _stage1(
            problem,
            seconds=max(5.0, time_limit / 4),
            workers=1,
            seed=seed,
            margin=margin,
            progress=None,
            started=started,
            explain=True,
        )
        why = why or [Reason("capacity", "no set of weeks keeps every capacity")]
        return Result([], status, None, None, time.monotonic() - started, "cp-sat", why, stages)
    return Result(
        [],
        status,
        None,
        None,
        time.monotonic() - started,
        "cp-sat",
        [Reason("time", "no programme was found within the time limit")],
        stages,
    )


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    progress: Progress | None = None,
) -> Result:
    """The programme by CP-SAT within `time_limit` seconds (both stages), or the reasons it
    cannot be made."""
    started = time.monotonic()
    reasons = precheck(problem) or _held_teams_check(
        problem, seconds=max(2.0, time_limit / 10), seed=seed
    )
    if reasons:
        return Result([], "INFEASIBLE", None, None, time.monotonic() - started, "cp-sat", reasons)
    stages: dict[str, Any] = {"held": held_summary(problem)}
    last_weeks: dict[str, int] | None = None
    if problem.previous:
        found, last_weeks = _repair(problem, time_limit, workers, seed, progress, started, stages)
        if found is not None:
            return found
    for attempt, margin in enumerate(STAGE1_MARGINS):
        final = attempt == len(STAGE1_MARGINS) - 1
        left = time_limit - (time.monotonic() - started)
        status1, weeks, obj1, bound1, _ = _stage1(
            problem,
            seconds=left * STAGE1_SHARE,
            workers=workers,
            seed=seed,
            margin=margin,
            progress=progress,
            started=started,
            hint=last_weeks,
        )
        if attempt == 0 and bound1 is not None:
            # At full capacity stage 1 relaxes the whole problem (travel costs nothing less
            # than 0): its bound is a true lower bound on any programme's objective.
            stages["relaxation_bound"] = bound1
        stages["weeks"] = {"status": status1, "objective": obj1, "bound": bound1, "margin": margin}
        if not weeks:
            if status1 == "INFEASIBLE" and attempt > 0:
                break  # the lowered capacity is ours, not the problem's: say teams failed
            return _no_weeks(problem, status1, margin, time_limit, seed, started, stages)
        last_weeks = weeks
        left = time_limit - (time.monotonic() - started)
        status2, teams, obj2, bound2, why = _stage2(
            problem,
            weeks,
            seconds=left if final else left * 0.5,
            workers=workers,
            seed=seed,
            progress=progress,
            started=started,
        )
        stages["teams"] = {"status": status2, "objective": obj2, "bound": bound2}
        if teams:
            figures = (status1, obj1, bound1, status2, obj2, bound2)
            return _programme(problem, weeks, teams, figures, started, stages)
        if why:
            # A review on its own cannot be staffed: fewer weeks to choose from will not help.
            return Result(
                [], "INFEASIBLE", None, None, time.monotonic() - started, "cp-sat", why, stages
            )
    return Result(
        [],
        "UNKNOWN",
        None,
        None,
        time.monotonic() - started,
        "cp-sat",
        [Reason("teams", "no teams were found for the weeks chosen, within the time limit")],
        stages,
    )
