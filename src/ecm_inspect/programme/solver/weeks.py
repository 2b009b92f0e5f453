"""Stage 1: every area to a start week, under its own rules and each week's national capacity;
and, when held reviews cannot all be kept, the infeasible core explained."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ortools.sat.python import cp_model

from ..problem import URGENT_WEEKS, AreaInput, Problem, Slot
from .common import Progress, Reason, _solver, _Watch


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
