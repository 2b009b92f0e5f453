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

from .common import (
    MAX_CONFLICTS,
    REPAIRS,
    STAGE1_MARGINS,
    STAGE1_SHARE,
    UNSTAFFED,
    Progress,
    Reason,
    Result,
    plan_objective,
)
from .precheck import precheck
from .repair import held_summary, solve
from .teams import team_reasons

__all__ = [
    "MAX_CONFLICTS",
    "Progress",
    "REPAIRS",
    "Reason",
    "Result",
    "STAGE1_MARGINS",
    "STAGE1_SHARE",
    "UNSTAFFED",
    "held_summary",
    "plan_objective",
    "precheck",
    "solve",
    "team_reasons",
]
