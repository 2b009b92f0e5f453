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

Re-planning: a review held from the previous plan (its financial year confirmed, or the area
notified) is fixed by hard equalities, never by a penalty: its start week in stage 1
(x[a, held week] == 1) and, where its team is held too, every member and the leader in stage 2
(y[i, r] == 1). The rest are warm-started from the previous plan with solution hints. When the
held reviews cannot all be kept (an inspector on a held team has left, the council's dates
changed under a confirmed review), the same equalities are solved again as CP-SAT assumptions
and the infeasible core names the review and the rule it breaks; nothing is unfixed silently.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .problem import URGENT_WEEKS, AreaInput, InspectorInput, PlannedReview, Problem, Slot

# Stage 1's capacity, as a share of each week's real capacity, on each try.
STAGE1_MARGINS = (1.0, 0.97, 0.93, 0.85)
# Re-planning: the cost of a review left without a team in stage 2 (above any team's cost),
# and how many times stage 1 is solved again with the weeks found unstaffable ruled out for
# those reviews, before falling back to lowering the capacity (STAGE1_MARGINS).
UNSTAFFED = 10_000_000
REPAIRS = 4
# How many separate conflicts among the held teams a refused re-plan explains, at most.
MAX_CONFLICTS = 5
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
    return {a.gss: [k for k in problem.allowed_weeks(a) if room[k]] for a in problem.areas}


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
    banned: dict[str, set[int]] | None = None,
) -> tuple[str, dict[str, int], int | None, int | None, list[Reason]]:
    model = cp_model.CpModel()
    allowed = _staffable_weeks(problem)
    for gss, barred in (banned or {}).items():  # weeks stage 2 found no team for (re-planning)
        allowed[gss] = [k for k in allowed[gss] if k not in barred]
    held = {a.gss: problem.held_week(a.gss) for a in problem.areas}
    for gss, week in held.items():
        if week is not None and week not in allowed[gss]:
            allowed[gss] = sorted([*allowed[gss], week])
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
        week = held[a.gss]
        if week is not None:
            # A held review stays in its week: a hard equality, not a penalty.
            enforce(model.add(x[a.gss, week] == 1), f"fixed:{a.gss}")
            if problem.week_problems(a, problem.slots[week]):
                # ...which its own rules now rule out (the council's dates changed, say).
                enforce(model.add(x[a.gss, week] == 0), f"rule:{a.gss}")
    total, leaders, others = _week_capacity(problem)
    by_week: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for (gss, k), var in x.items():
        for t in problem.busy_weeks[k]:
            by_week[t].append((problem.team_size_of(gss), var))
    # The margin holds back part of the capacity the held reviews leave, never theirs.
    held_demand: dict[int, int] = defaultdict(int)
    for gss, week in held.items():
        if week is not None:
            for t in problem.busy_weeks[week]:
                held_demand[t] += problem.team_size_of(gss)
    for t, sized in by_week.items():
        fixed_part = min(held_demand[t], total[t])
        cap = fixed_part + int((total[t] - fixed_part) * margin)
        vars_ = [v for _, v in sized]
        enforce(model.add(sum(n * v for n, v in sized) <= cap), f"capacity:{t}")
        enforce(model.add(sum(vars_) <= leaders[t]), f"leaders:{t}")
        enforce(model.add(sum(vars_) <= others[t]), f"two bodies:{t}")
    area_of = {a.gss: a for a in problem.areas}
    model.minimize(sum(problem.slot_cost(area_of[g], k) * v for (g, k), v in x.items()))
    # Warm start: the previous plan's weeks (re-planning), or the last try's.
    hints = dict(hint or {})
    for a in problem.areas:
        before = problem.previous.get(a.gss)
        slot = problem.slot_of(before) if before else None
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


def _held_label(problem: Problem, gss: str) -> str:
    """'the confirmed review of Gateshead (E08000037) from 11 January 2027'."""
    name = next((a.name for a in problem.areas if a.gss == gss), gss)
    held = problem.previous[gss]
    fixity = problem.fixity.get(gss, "held")
    return f"the {fixity} review of {name} ({gss}) from {held.analysis_start:%-d %B %Y}"


def _rule_detail(problem: Problem, area: AreaInput, slot: Slot, rule: str) -> str:
    """What one of an area's own rules asks, against a slot's dates."""
    if rule == "the council's dates":
        periods = [
            f"{s:%-d %B %Y} to {e:%-d %B %Y}"
            for s, e in area.unavailable
            if s <= slot.fieldwork_end and slot.analysis_start <= e
        ]
        return f"the council cannot have it from {' and '.join(periods)}"
    if rule == "short-notice review" and area.urgent_from is not None:
        low, high = URGENT_WEEKS
        return (
            f"after the critical event of {area.urgent_from:%-d %B %Y} its analysis must start "
            f"{low} to {high} weeks later"
        )
    if rule == "no fieldwork during heavy inspection":
        return "its fieldwork would overlap heavy inspection of the area's organisations"
    return f"its dates break the rule ({slot.analysis_start:%-d %B %Y} to {slot.fieldwork_end})"


def _explain_core(
    problem: Problem,
    core: list[str],
    allowed: dict[str, list[int]],
    total: list[int],
    leaders: list[int],
) -> list[Reason]:
    """Turn CP-SAT's infeasible assumptions into sentences: a held review whose own rules now
    rule out its week; else which areas, which weeks, by how many inspector-weeks (and which
    held reviews fill those weeks)."""
    names = {a.gss: a.name for a in problem.areas}
    areas_by = {a.gss: a for a in problem.areas}
    kind_of = [c.split(":", 1) for c in core]
    fixed = sorted(g for k, g in kind_of if k == "fixed")
    broken = sorted(g for k, g in kind_of if k == "rule")
    reasons: list[Reason] = []
    for gss in broken:
        week = problem.held_week(gss)
        if week is None:
            continue
        area, slot = areas_by[gss], problem.slots[week]
        rules = problem.week_problems(area, slot)
        reasons.append(
            Reason(
                ", ".join(rules),
                f"{_held_label(problem, gss)} is held fixed, but "
                + "; ".join(_rule_detail(problem, area, slot, r) for r in rules)
                + f". Release it (`ecm programme replan --release {gss}`) to let it move.",
                1.0,
            )
        )
    if reasons:
        return reasons
    areas = [g for k, g in kind_of if k == "area"]
    weeks = sorted({int(g) for k, g in kind_of if k not in {"area", "fixed", "rule"}})
    kinds = sorted({k for k, _ in kind_of if k not in {"area", "fixed", "rule"}})
    if not weeks:
        return [Reason("area's own dates", f"no week for {', '.join(areas or fixed)}")]
    first, last = problem.monday(weeks[0]), problem.monday(weeks[-1])
    placed = sorted(set(areas) | set(fixed))
    need = sum(problem.team_size_of(g) for g in placed) * 3
    have = sum(total[t] for t in weeks)
    detail = (
        f"the reviews of {len(placed)} areas ({', '.join(names[g] for g in placed[:8])}"
        f"{'...' if len(placed) > 8 else ''}) can only be placed where the {', '.join(kinds)} "
        f"of {len(weeks)} weeks between {first:%-d %B %Y} and {last:%-d %B %Y} run out: they "
        f"need {need} inspector-weeks and {len(placed) * 3} leader-weeks; those weeks have "
        f"{have} and {sum(leaders[t] for t in weeks)}"
    )
    if fixed:
        detail += (
            "; held fixed in those weeks: "
            + ", ".join(_held_label(problem, g) for g in fixed)
            + " (release one with `ecm programme replan --release GSS` to let it move)"
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
    explain: bool = False,
    soft: bool = False,
    core_out: list[str] | None = None,
) -> tuple[str, dict[str, tuple[int, list[int]]], int | None, int | None, list[Reason]]:
    """Teams for the reviews in `weeks`. With `soft` (re-planning), a review may be left
    without a team at a cost above everything else, so that the solver names the fewest
    reviews that cannot be staffed in their week (they are missing from the teams returned)
    instead of failing as a whole."""
    model = cp_model.CpModel()
    areas = {a.gss: a for a in problem.areas}
    unstaffed: list[cp_model.IntVar] = []
    people = {i.id: i for i in problem.inspectors}
    y: dict[tuple[int, str], cp_model.IntVar] = {}
    lead: dict[tuple[int, str], cp_model.IntVar] = {}
    cost = []
    reasons = []
    assumptions: dict[int, str] = {}

    def enforce(constraint: Any, name: str) -> None:
        if explain:
            lit = model.new_bool_var(name)
            constraint.only_enforce_if(lit)
            model.add_assumption(lit)
            assumptions[lit.index] = name

    for gss, k in weeks.items():
        area, slot = areas[gss], problem.slots[k]
        held = problem.held_team(gss) if k == problem.held_week(gss) else None
        if held is not None:
            # The held team, exactly: every member and the leader by hard equalities.
            pool = [people[n] for n in held.team if n in people]
            for i in pool:
                v = y[i.id, gss] = model.new_bool_var(f"y[{i.id},{gss}]")
                if c := problem.travel_cost(i, area):
                    cost.append(c * v)  # a constant: the objective stays the documented one
                if not problem.can_serve(i, k):
                    model.add(v == 0)  # left, on leave, in their own inspection
                enforce(model.add(v == 1), f"member:{gss}:{i.id}")
            leads: list[cp_model.IntVar] = []
            if held.leader in people:
                person = people[held.leader]
                v = lead[held.leader, gss] = model.new_bool_var(f"lead[{held.leader},{gss}]")
                model.add_implication(v, y[held.leader, gss])
                if not person.is_lead:
                    model.add(v == 0)
                enforce(model.add(v == 1), f"leader:{gss}")
                leads.append(v)
        else:
            free = _candidates(problem, area, slot)
            if not soft:
                reasons += team_reasons(problem, area, slot)
            size = problem.team_size
            leads = []
            for i in free:
                v = model.new_bool_var(f"y[{i.id},{gss}]")
                y[i.id, gss] = v
                c = problem.travel_cost(i, area)
                before = problem.previous.get(gss)
                if before is not None and before.analysis_start == slot.analysis_start:
                    if i.id not in before.team:
                        c += problem.weights.team_change
                    model.add_hint(v, i.id in before.team)
                if c:
                    cost.append(c * v)
                if i.is_lead:
                    lead[i.id, gss] = model.new_bool_var(f"lead[{i.id},{gss}]")
                    model.add_implication(lead[i.id, gss], v)
                    leads.append(lead[i.id, gss])
                    if before is not None and before.analysis_start == slot.analysis_start:
                        model.add_hint(lead[i.id, gss], i.id == before.leader)
        if held is not None:
            # Its size, bodies and expertise were kept when it was planned: only who is free
            # (and the rules between teams, below) can break it now.
            continue
        members = [y[i.id, gss] for i in free]
        staffed: list[Any] = []
        if soft:
            none = model.new_bool_var(f"unstaffed[{gss}]")
            unstaffed.append(none)
            staffed = [none.Not()]
            model.add(sum(members) == 0).only_enforce_if(none)
        model.add(sum(members) == size).only_enforce_if(staffed)
        model.add(sum(leads) == 1).only_enforce_if(staffed)
        body_used = []
        for b in {i.body for i in free}:
            used = model.new_bool_var(f"body[{b},{gss}]")
            model.add_bool_or([y[i.id, gss] for i in free if i.body == b]).only_enforce_if(used)
            body_used.append(used)
        model.add(sum(body_used) >= 2).only_enforce_if(staffed)
        for o in area.outcomes:
            model.add_bool_or([y[i.id, gss] for i in free if o in i.outcomes]).only_enforce_if(
                staffed
            )
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
    model.minimize(sum(cost) + UNSTAFFED * sum(unstaffed))
    solver = _solver(seconds, workers, seed)
    if explain:
        solver.parameters.num_workers = 1
    status = solver.solve(model, _Watch("teams", progress, started))
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if explain and status == cp_model.INFEASIBLE:
            core = [assumptions[i] for i in solver.sufficient_assumptions_for_infeasibility()]
            if core_out is not None:
                core_out.extend(core)
            return name, {}, None, None, _explain_held_teams(problem, weeks, core)
        return name, {}, None, None, []
    teams: dict[str, tuple[int, list[int]]] = {}
    for gss in weeks:
        chosen = sorted(n for (n, g), v in y.items() if g == gss and solver.boolean_value(v))
        leader = next(
            (n for (n, g), v in lead.items() if g == gss and solver.boolean_value(v)), None
        )
        if chosen and leader is not None:
            teams[gss] = (leader, chosen)
    left_out = len(weeks) - len(teams)
    return (
        name,
        teams,
        round(solver.objective_value) - UNSTAFFED * left_out,
        max(round(solver.best_objective_bound) - UNSTAFFED * left_out, 0),
        [],
    )


def _why_not_free(problem: Problem, person: InspectorInput, slot: Slot) -> str | None:
    """Why an inspector cannot be on a review with these dates, or None if they can."""
    if problem.can_serve(person, slot.week):
        return None
    who = f"inspector {person.id}{f' ({person.name})' if person.name else ''}, {person.body},"
    days = slot.busy_days()
    if person.left_on is not None and days[-1] >= person.left_on:
        return f"{who} left on {person.left_on:%-d %B %Y}"
    if not person.is_active:
        return f"{who} has left"
    for s, e in person.unavailable:
        if any(s <= d <= e for d in days):
            return f"{who} is unavailable from {s:%-d %B %Y} to {e:%-d %B %Y}"
    return f"{who} is not free on those dates"


def _explain_held_teams(problem: Problem, weeks: dict[str, int], core: list[str]) -> list[Reason]:
    """Turn the held teams' infeasible assumptions into sentences: the review, the member or
    leader, and the rule (inspector available, a team leader, two places at once, capacity)."""
    people = {i.id: i for i in problem.inspectors}
    in_core: dict[str, list[int]] = defaultdict(list)
    leaders: set[str] = set()
    for name in core:
        kind, _, rest = name.partition(":")
        if kind == "member":
            gss, _, iid = rest.rpartition(":")
            in_core[gss].append(int(iid))
        elif kind == "leader":
            # The leader's equality puts them on the team as well.
            leader = problem.previous[rest].leader
            if leader in people and not people[leader].is_lead:
                leaders.add(rest)
            in_core[rest].append(leader)
    reasons: list[Reason] = []
    release = "Release it (`ecm programme replan --release {}`) to form a new team."
    clashing = []
    for gss in sorted(set(in_core) | leaders):
        slot = problem.slots[weeks[gss]]
        label = f"{_held_label(problem, gss)}, held with its team"
        members = dict.fromkeys(in_core[gss])  # a leader can be named twice
        why = [w for n in members if (w := _why_not_free(problem, people[n], slot))]
        if why:
            reasons.append(
                Reason(
                    "inspector available",
                    f"{label}: " + "; ".join(why) + ". " + release.format(gss),
                    float(len(why)),
                )
            )
        elif gss in leaders:
            held = problem.previous[gss]
            reasons.append(
                Reason(
                    "a team leader",
                    f"{label}: its leader, inspector {held.leader}, is not of the lead grade. "
                    + release.format(gss),
                    1.0,
                )
            )
        else:
            clashing.append(gss)
    if clashing:
        reasons += _held_clashes(problem, weeks, clashing)
    return reasons or [Reason("held reviews stay fixed", "the held teams cannot all be kept")]


def _held_clashes(problem: Problem, weeks: dict[str, int], clashing: list[str]) -> list[Reason]:
    """Held teams whose members are free on their own but not together: the same person on two
    at once, or more of a body's inspectors in a week than its capacity (all the held teams of
    the model counted)."""
    people = {i.id: i for i in problem.inspectors}
    out: list[Reason] = []
    explained: set[str] = set()
    release = (
        "Release one of them (`ecm programme replan --release GSS`) to form a new team for it."
    )
    for n, first in enumerate(clashing):
        for second in clashing[n + 1 :]:
            if not set(problem.busy_weeks[weeks[first]]) & set(problem.busy_weeks[weeks[second]]):
                continue
            shared = sorted(set(problem.previous[first].team) & set(problem.previous[second].team))
            if shared:
                out.append(
                    Reason(
                        "no inspector in two places at once",
                        f"inspector {shared[0]} is on {_held_label(problem, first)} and on "
                        f"{_held_label(problem, second)}, both held with their teams. {release}",
                        float(len(shared)),
                    )
                )
                explained |= {first, second}
    usage: dict[tuple[str, int], set[str]] = defaultdict(set)
    count: dict[tuple[str, int], int] = defaultdict(int)
    for gss, week in weeks.items():
        for n in problem.previous[gss].team:
            person = people.get(n)
            if person is None or not problem.can_serve(person, week):
                continue
            for t in problem.busy_weeks[week]:
                count[person.body, t] += 1
                usage[person.body, t].add(gss)
    over: dict[tuple[str, tuple[str, ...]], list[tuple[int, int, int]]] = defaultdict(list)
    for (body, t), used in sorted(count.items(), key=lambda x: (x[0][1], x[0][0])):
        cap = problem.capacity[body][t]
        reviews = tuple(sorted(usage[body, t] & set(clashing)))
        if used > cap and reviews:
            over[body, reviews].append((t, used, cap))
    for (body, reviews), weeks_over in over.items():
        when = "; ".join(
            f"{used} in the week of {problem.monday(t):%-d %B %Y} (capacity now {cap})"
            for t, used, cap in weeks_over
        )
        out.append(
            Reason(
                "body capacity",
                f"the held teams would take more of {body}'s inspectors than it can give: "
                f"{when}. Held with their teams then: "
                + "; ".join(_held_label(problem, g) for g in reviews)
                + f". {release}",
                float(max(used - cap for _, used, cap in weeks_over)),
            )
        )
        explained |= set(reviews)
    for gss in clashing:
        if gss not in explained:
            out.append(
                Reason(
                    "held reviews stay fixed",
                    f"{_held_label(problem, gss)}, held with its team: its team cannot be kept "
                    "with the other held teams",
                )
            )
    return out


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
            if obj1 is None or bound1 is None or obj2 is None or bound2 is None:
                raise RuntimeError("CP-SAT returned a solution without its figures")
            status = "OPTIMAL" if status1 == status2 == "OPTIMAL" else "FEASIBLE"
            result = Result(
                _reviews(problem, weeks, teams),
                status,
                obj1 + obj2,
                bound1 + bound2,
                time.monotonic() - started,
                "cp-sat",
                stages=stages,
            )
            return result, weeks
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
