"""What every stage of the solver shares: its limits, the result and the reasons it gives, the
objective of a plan, and a CP-SAT solver set up with a time limit and a seed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from ..problem import PlannedReview, Problem

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
