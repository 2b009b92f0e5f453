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


class _TeamModel:
    """Stage 2's CP-SAT model as it is built: y[i, r] (inspector i on review r), the leaders,
    the travel cost, the reviews left without a team (soft) and, when explaining, the held
    teams' equalities as named assumptions."""

    def __init__(self, problem: Problem, explain: bool) -> None:
        self.problem, self.explain = problem, explain
        self.model = cp_model.CpModel()
        self.people = {i.id: i for i in problem.inspectors}
        self.y: dict[tuple[int, str], cp_model.IntVar] = {}
        self.lead: dict[tuple[int, str], cp_model.IntVar] = {}
        self.cost: list[Any] = []
        self.unstaffed: list[cp_model.IntVar] = []
        self.assumptions: dict[int, str] = {}

    def enforce(self, constraint: Any, name: str) -> None:
        if self.explain:
            lit = self.model.new_bool_var(name)
            constraint.only_enforce_if(lit)
            self.model.add_assumption(lit)
            self.assumptions[lit.index] = name

    def held_team(self, gss: str, area: AreaInput, k: int, held: Any) -> None:
        """The held team, exactly: every member and the leader by hard equalities. Its size,
        bodies and expertise were kept when it was planned: only who is free (and the rules
        between teams) can break it now."""
        model, problem, people = self.model, self.problem, self.people
        for i in [people[n] for n in held.team if n in people]:
            v = self.y[i.id, gss] = model.new_bool_var(f"y[{i.id},{gss}]")
            if c := problem.travel_cost(i, area):
                self.cost.append(c * v)  # a constant: the objective stays the documented one
            if not problem.can_serve(i, k):
                model.add(v == 0)  # left, on leave, in their own inspection
            self.enforce(model.add(v == 1), f"member:{gss}:{i.id}")
        if held.leader in people:
            person = people[held.leader]
            v = self.lead[held.leader, gss] = model.new_bool_var(f"lead[{held.leader},{gss}]")
            model.add_implication(v, self.y[held.leader, gss])
            if not person.is_lead:
                model.add(v == 0)
            self.enforce(model.add(v == 1), f"leader:{gss}")

    def open_team(self, gss: str, area: AreaInput, slot: Slot, soft: bool) -> None:
        """A team to choose from the inspectors free in the slot, under the team rules: its
        size, one leader, two bodies at least, the expertise the review needs."""
        model, problem = self.model, self.problem
        free = _candidates(problem, area, slot)
        leads = []
        before = problem.previous.get(gss)
        same_week = before is not None and before.analysis_start == slot.analysis_start
        for i in free:
            v = self.y[i.id, gss] = model.new_bool_var(f"y[{i.id},{gss}]")
            c = problem.travel_cost(i, area)
            if same_week and before is not None:
                if i.id not in before.team:
                    c += problem.weights.team_change
                model.add_hint(v, i.id in before.team)
            if c:
                self.cost.append(c * v)
            if i.is_lead:
                lead = self.lead[i.id, gss] = model.new_bool_var(f"lead[{i.id},{gss}]")
                model.add_implication(lead, v)
                leads.append(lead)
                if same_week and before is not None:
                    model.add_hint(lead, i.id == before.leader)
        members = [self.y[i.id, gss] for i in free]
        staffed: list[Any] = []
        if soft:
            none = model.new_bool_var(f"unstaffed[{gss}]")
            self.unstaffed.append(none)
            staffed = [none.Not()]
            model.add(sum(members) == 0).only_enforce_if(none)
        model.add(sum(members) == problem.team_size).only_enforce_if(staffed)
        model.add(sum(leads) == 1).only_enforce_if(staffed)
        body_used = []
        for b in {i.body for i in free}:
            used = model.new_bool_var(f"body[{b},{gss}]")
            model.add_bool_or([self.y[i.id, gss] for i in free if i.body == b]).only_enforce_if(
                used
            )
            body_used.append(used)
        model.add(sum(body_used) >= 2).only_enforce_if(staffed)
        for o in area.outcomes:
            model.add_bool_or([self.y[i.id, gss] for i in free if o in i.outcomes]).only_enforce_if(
                staffed
            )

    def between_teams(self, weeks: dict[str, int]) -> None:
        """No inspector in two places at once; each body's capacity per week."""
        busy: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        body_busy: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        body_of = {i.id: i.body for i in self.problem.inspectors}
        for (iid, gss), v in self.y.items():
            for t in self.problem.busy_weeks[weeks[gss]]:
                busy[iid, t].append(v)
                body_busy[body_of[iid], t].append(v)
        for vars_ in busy.values():
            if len(vars_) > 1:
                self.model.add_at_most_one(vars_)
        for (b, t), vars_ in body_busy.items():
            self.model.add(sum(vars_) <= self.problem.capacity[b][t])

    def teams(
        self, solver: cp_model.CpSolver, weeks: dict[str, int]
    ) -> dict[str, tuple[int, list[int]]]:
        """Each staffed review's leader and members, as solved."""
        teams: dict[str, tuple[int, list[int]]] = {}
        for gss in weeks:
            chosen = sorted(
                n for (n, g), v in self.y.items() if g == gss and solver.boolean_value(v)
            )
            leader = next(
                (n for (n, g), v in self.lead.items() if g == gss and solver.boolean_value(v)),
                None,
            )
            if chosen and leader is not None:
                teams[gss] = (leader, chosen)
        return teams


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
    built = _TeamModel(problem, explain)
    areas = {a.gss: a for a in problem.areas}
    reasons = []
    for gss, k in weeks.items():
        area, slot = areas[gss], problem.slots[k]
        held = problem.held_team(gss) if k == problem.held_week(gss) else None
        if held is not None:
            built.held_team(gss, area, k, held)
            continue
        if not soft:
            reasons += team_reasons(problem, area, slot)
        built.open_team(gss, area, slot, soft)
    if reasons:
        return "INFEASIBLE", {}, None, None, reasons
    built.between_teams(weeks)
    built.model.minimize(sum(built.cost) + UNSTAFFED * sum(built.unstaffed))
    solver = _solver(seconds, workers, seed)
    if explain:
        solver.parameters.num_workers = 1
    status = solver.solve(built.model, _Watch("teams", progress, started))
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if explain and status == cp_model.INFEASIBLE:
            core = [built.assumptions[i] for i in solver.sufficient_assumptions_for_infeasibility()]
            if core_out is not None:
                core_out.extend(core)
            return name, {}, None, None, _explain_held_teams(problem, weeks, core)
        return name, {}, None, None, []
    teams = built.teams(solver, weeks)
    left_out = len(weeks) - len(teams)
    return (
        name,
        teams,
        round(solver.objective_value) - UNSTAFFED * left_out,
        max(round(solver.best_objective_bound) - UNSTAFFED * left_out, 0),
        [],
    )
