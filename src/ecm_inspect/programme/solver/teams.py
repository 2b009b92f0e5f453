"""Stage 2: a team for every review in the weeks stage 1 chose, minimising travel (and team
changes when re-planning) under the team rules and each body's capacity."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ortools.sat.python import cp_model

from ..problem import AreaInput, InspectorInput, Problem, Slot
from .common import UNSTAFFED, Progress, Reason, _solver, _Watch
from .explanation import _explain_held_teams


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
