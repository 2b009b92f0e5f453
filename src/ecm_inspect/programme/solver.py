"""Solving the programme with CP-SAT (Google OR-Tools), in two stages, and the greedy baseline.

Stage 1 places every area in a start week (x[a, k], one per area), minimising the schedule's
part of the objective under each area's own rules (problem.Problem.week_problems) and the
national capacity of every week: the teams busy in a week need no more inspectors than the
bodies' capacities add up to, no more leaders than there are lead inspectors free, and at
least one member from outside any single body.

Stage 2 forms every team for the weeks stage 1 chose (y[i, r]: inspector i on review r),
minimising travel (and, when re-planning, team changes) under the team rules, each body's
capacity per week and "no inspector in two places at once".

Splitting costs optimality: stage 1 cannot see travel, so a week a nearby team could have
made cheaper is not preferred; the bound reported is that of the two stages, not of the joint
problem (docs/performance.md measures the cost). If stage 2 finds no teams for stage 1's weeks,
stage 1 is solved again with the capacity lowered (STAGE1_MARGINS).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .problem import AreaInput, InspectorInput, PlannedReview, Problem, Slot

# Stage 1's capacity, as a share of each week's real capacity, on each try.
STAGE1_MARGINS = (1.0, 0.97, 0.93, 0.85)
# Stage 1's share of the time left on each try (stage 2 gets the rest, or half of it when
# another try may follow).
STAGE1_SHARE = 0.4

Progress = Callable[[str, float, float | None, float | None], None]


@dataclass(frozen=True)
class Reason:
    """Why a programme cannot be made: the constraint, and by how much it fails."""

    constraint: str
    detail: str
    shortfall: float | None = None

    def __str__(self) -> str:
        return f"{self.constraint}: {self.detail}"


@dataclass
class Result:
    reviews: list[PlannedReview]
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN (CP-SAT's words); GREEDY
    objective: int | None
    bound: int | None
    seconds: float
    method: str
    reasons: list[Reason] = field(default_factory=list)
    stages: dict[str, Any] = field(default_factory=dict)
    unplaced: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return self.objective is not None and not self.unplaced

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return (self.objective - self.bound) / max(abs(self.objective), 1)


# -- the objective, from a plan --------------------------------------------------------------


def plan_objective(problem: Problem, reviews: list[PlannedReview]) -> int:
    """The documented objective of a plan (docs/programme.md), computed from its dates and
    teams alone: the same figure CP-SAT minimises."""
    areas = {a.gss: a for a in problem.areas}
    inspectors = {i.id: i for i in problem.inspectors}
    total = 0
    for r in reviews:
        area = areas[r.gss]
        slot = problem.slot_of(r)
        if slot is None:
            raise ValueError(f"{r.gss}: {r.analysis_start} is not the start of a programme week")
        total += problem.slot_cost(area, slot.week)
        total += sum(problem.travel_cost(inspectors[i], area) for i in r.team)
        total += _team_change_cost(problem, r.gss, r.analysis_start, set(r.team))
    return total


def _team_change_cost(problem: Problem, gss: str, analysis_start: Any, team: set[int]) -> int:
    held = problem.previous.get(gss)
    if held is None or held.analysis_start != analysis_start:
        return 0
    return problem.weights.team_change * len(team - set(held.team))


# -- checks before solving -------------------------------------------------------------------


def precheck(problem: Problem) -> list[Reason]:
    """Reasons the programme cannot be made that arithmetic shows without a solver."""
    reasons: list[Reason] = []
    busy = 3  # weeks a team is busy on a review (analysis, two of fieldwork)
    active = [i for i in problem.inspectors if i.is_active]
    staffable = _staffable_weeks(problem)
    total, _, _ = _week_capacity(problem)
    most = max(total[: problem.weeks], default=0)
    if most < problem.team_size:
        reasons.append(
            Reason(
                "body capacity",
                f"in no week can the bodies give a team of {problem.team_size}: at most {most} "
                f"inspectors a week (share {problem.review_share:.0%} of available days): short "
                f"by {problem.team_size - most}",
                float(problem.team_size - most),
            )
        )
        staffable = {a.gss: [0] for a in problem.areas}  # said once, not per area
    for area in problem.areas:
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


# -- stage 1: areas to weeks -------------------------------------------------------------------


class _Watch(cp_model.CpSolverSolutionCallback):
    def __init__(self, label: str, progress: Progress | None, started: float) -> None:
        super().__init__()
        self.label, self.progress, self.started = label, progress, started

    def on_solution_callback(self) -> None:
        if self.progress is not None:
            self.progress(
                self.label,
                time.monotonic() - self.started,
                self.ObjectiveValue(),
                self.BestObjectiveBound(),
            )


def _solver(seconds: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.5)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    return solver


def _week_capacity(problem: Problem) -> tuple[list[int], list[int], list[int]]:
    """Per week: inspectors the bodies can give, leaders free within it, and the most that can
    come from outside the largest body."""
    total, leaders, others = [], [], []
    for t in range(problem.weeks + 6):
        caps = {b: problem.capacity[b][t] for b in problem.bodies}
        total.append(sum(caps.values()))
        lead = 0
        for b in problem.bodies:
            free = sum(
                1
                for i in problem.inspectors
                if i.body == b and i.is_lead and problem.available_in_week[i.id][t]
            )
            lead += min(caps[b], free)
        leaders.append(lead)
        others.append(sum(caps.values()) - max(caps.values(), default=0))
    return total, leaders, others


def _staffable_weeks(problem: Problem) -> dict[str, list[int]]:
    """Each area's allowed weeks in which every busy week has room for a whole team and its
    leader."""
    total, leaders, others = _week_capacity(problem)
    room = [
        all(
            total[t] >= problem.team_size and leaders[t] >= 1 and others[t] >= 1
            for t in problem.busy_weeks[k]
        )
        for k in range(problem.weeks)
    ]
    held = {g for g, f in problem.fixity.items() if f == "notified" and g in problem.previous}
    return {
        a.gss: [k for k in problem.allowed_weeks(a) if room[k] or a.gss in held]
        for a in problem.areas
    }


def _stage1(
    problem: Problem,
    *,
    seconds: float,
    workers: int,
    seed: int,
    margin: float,
    progress: Progress | None,
    started: float,
    explain: bool = False,
    hint: dict[str, int] | None = None,
) -> tuple[str, dict[str, int], int | None, int | None, list[Reason]]:
    model = cp_model.CpModel()
    allowed = _staffable_weeks(problem)
    x: dict[tuple[str, int], cp_model.IntVar] = {}
    for a in problem.areas:
        for k in allowed[a.gss]:
            x[a.gss, k] = model.new_bool_var(f"x[{a.gss},{k}]")
    assumptions: dict[int, str] = {}

    def enforce(constraint: Any, name: str) -> None:
        if explain:
            lit = model.new_bool_var(name)
            constraint.only_enforce_if(lit)
            model.add_assumption(lit)
            assumptions[lit.index] = name

    for a in problem.areas:
        enforce(model.add(sum(x[a.gss, k] for k in allowed[a.gss]) == 1), f"area:{a.gss}")
    total, leaders, others = _week_capacity(problem)
    by_week: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (_, k), var in x.items():
        for t in problem.busy_weeks[k]:
            by_week[t].append(var)
    for t, vars_ in by_week.items():
        cap = int(total[t] * margin)
        enforce(model.add(problem.team_size * sum(vars_) <= cap), f"capacity:{t}")
        enforce(model.add(sum(vars_) <= leaders[t]), f"leaders:{t}")
        enforce(model.add(sum(vars_) <= others[t]), f"two bodies:{t}")
    area_of = {a.gss: a for a in problem.areas}
    model.minimize(sum(problem.slot_cost(area_of[g], k) * v for (g, k), v in x.items()))
    # Warm start: the previous plan's weeks (re-planning), or the last try's.
    hints = dict(hint or {})
    for a in problem.areas:
        held = problem.previous.get(a.gss)
        slot = problem.slot_of(held) if held else None
        if slot is not None:
            hints.setdefault(a.gss, slot.week)
    for gss, week in hints.items():
        if (gss, week) in x:
            for k in allowed[gss]:
                model.add_hint(x[gss, k], k == week)
    solver = _solver(seconds, workers, seed)
    if explain:
        solver.parameters.num_workers = 1
    status = solver.solve(model, _Watch("weeks", progress, started))
    name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        weeks = {g: k for (g, k), v in x.items() if solver.boolean_value(v)}
        return name, weeks, round(solver.objective_value), round(solver.best_objective_bound), []
    reasons: list[Reason] = []
    if explain and status == cp_model.INFEASIBLE:
        core = [assumptions[i] for i in solver.sufficient_assumptions_for_infeasibility()]
        reasons = _explain_core(problem, core, allowed, total, leaders)
    return name, {}, None, None, reasons


def _explain_core(
    problem: Problem,
    core: list[str],
    allowed: dict[str, list[int]],
    total: list[int],
    leaders: list[int],
) -> list[Reason]:
    """Turn CP-SAT's infeasible assumptions into a sentence: which areas, which weeks, by how
    many inspector-weeks."""
    areas = [c.split(":", 1)[1] for c in core if c.startswith("area:")]
    weeks = sorted({int(c.split(":", 1)[1]) for c in core if not c.startswith("area:")})
    kinds = sorted({c.split(":", 1)[0] for c in core if not c.startswith("area:")})
    names = {a.gss: a.name for a in problem.areas}
    if not weeks:
        return [Reason("area's own dates", f"no week for {', '.join(areas)}")]
    first, last = problem.monday(weeks[0]), problem.monday(weeks[-1])
    need = len(areas) * problem.team_size * 3
    have = sum(total[t] for t in weeks)
    detail = (
        f"the reviews of {len(areas)} areas ({', '.join(names[g] for g in areas[:8])}"
        f"{'...' if len(areas) > 8 else ''}) can only be placed where the {', '.join(kinds)} "
        f"of {len(weeks)} weeks between {first:%-d %B %Y} and {last:%-d %B %Y} run out: they "
        f"need {need} inspector-weeks and {len(areas) * 3} leader-weeks; those weeks have "
        f"{have} and {sum(leaders[t] for t in weeks)}"
    )
    short = max(need - have, 0)
    return [Reason("body capacity" if "capacity" in kinds else kinds[0], detail, float(short))]


# -- stage 2: teams for the chosen weeks -----------------------------------------------------


def _candidates(problem: Problem, area: AreaInput, slot: Slot) -> list[InspectorInput]:
    return [i for i in problem.inspectors if problem.can_serve(i, slot.week)]


def team_reasons(problem: Problem, area: AreaInput, slot: Slot) -> list[Reason]:
    """Why no team can be formed for one review on its own."""
    out = []
    free = _candidates(problem, area, slot)
    when = f"{area.name}'s review from {slot.analysis_start:%-d %B %Y}"
    if len(free) < problem.team_size:
        out.append(
            Reason(
                "team size",
                f"{when}: {len(free)} inspectors are free, the team needs {problem.team_size}",
                float(problem.team_size - len(free)),
            )
        )
    if not any(i.is_lead for i in free):
        out.append(Reason("a team leader", f"{when}: no lead inspector is free", 1.0))
    bodies = {i.body for i in free}
    if len(bodies) < 2:
        out.append(Reason("at least two bodies", f"{when}: only {len(bodies)} body free", 1.0))
    for o in area.outcomes:
        if not any(o in i.outcomes for i in free):
            out.append(Reason("expertise", f"{when}: nobody free has expertise in {o}", 1.0))
    return out


def _stage2(
    problem: Problem,
    weeks: dict[str, int],
    *,
    seconds: float,
    workers: int,
    seed: int,
    progress: Progress | None,
    started: float,
) -> tuple[str, dict[str, tuple[int, list[int]]], int | None, int | None, list[Reason]]:
    model = cp_model.CpModel()
    areas = {a.gss: a for a in problem.areas}
    y: dict[tuple[int, str], cp_model.IntVar] = {}
    lead: dict[tuple[int, str], cp_model.IntVar] = {}
    cost = []
    reasons = []
    for gss, k in weeks.items():
        area, slot = areas[gss], problem.slots[k]
        free = _candidates(problem, area, slot)
        reasons += team_reasons(problem, area, slot)
        for i in free:
            v = model.new_bool_var(f"y[{i.id},{gss}]")
            y[i.id, gss] = v
            c = problem.travel_cost(i, area)
            held = problem.previous.get(gss)
            if held is not None and held.analysis_start == slot.analysis_start:
                if i.id not in held.team:
                    c += problem.weights.team_change
                model.add_hint(v, i.id in held.team)
            if c:
                cost.append(c * v)
            if i.is_lead:
                lead[i.id, gss] = model.new_bool_var(f"lead[{i.id},{gss}]")
                model.add_implication(lead[i.id, gss], v)
        members = [y[i.id, gss] for i in free]
        model.add(sum(members) == problem.team_size)
        model.add_exactly_one(lead[i.id, gss] for i in free if i.is_lead)
        body_used = []
        for b in {i.body for i in free}:
            used = model.new_bool_var(f"body[{b},{gss}]")
            model.add_bool_or([y[i.id, gss] for i in free if i.body == b]).only_enforce_if(used)
            body_used.append(used)
        model.add(sum(body_used) >= 2)
        for o in area.outcomes:
            model.add_bool_or([y[i.id, gss] for i in free if o in i.outcomes])
    if reasons:
        return "INFEASIBLE", {}, None, None, reasons
    # No inspector in two places at once; each body's capacity per week.
    busy: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    body_busy: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    body_of = {i.id: i.body for i in problem.inspectors}
    for (iid, gss), v in y.items():
        for t in problem.busy_weeks[weeks[gss]]:
            busy[iid, t].append(v)
            body_busy[body_of[iid], t].append(v)
    for vars_ in busy.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    for (b, t), vars_ in body_busy.items():
        model.add(sum(vars_) <= problem.capacity[b][t])
    model.minimize(sum(cost))
    solver = _solver(seconds, workers, seed)
    status = solver.solve(model, _Watch("teams", progress, started))
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return name, {}, None, None, []
    teams: dict[str, tuple[int, list[int]]] = {}
    for gss in weeks:
        chosen = sorted(n for (n, g), v in y.items() if g == gss and solver.boolean_value(v))
        leader = next(n for (n, g), v in lead.items() if g == gss and solver.boolean_value(v))
        teams[gss] = (leader, chosen)
    return name, teams, round(solver.objective_value), round(solver.best_objective_bound), []


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
    reasons = precheck(problem)
    if reasons:
        return Result([], "INFEASIBLE", None, None, time.monotonic() - started, "cp-sat", reasons)
    stages: dict[str, Any] = {}
    last_weeks: dict[str, int] | None = None
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
            if status1 == "INFEASIBLE":
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
                return Result(
                    [], status1, None, None, time.monotonic() - started, "cp-sat", why, stages
                )
            return Result(
                [],
                status1,
                None,
                None,
                time.monotonic() - started,
                "cp-sat",
                [Reason("time", "no programme was found within the time limit")],
                stages,
            )
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
