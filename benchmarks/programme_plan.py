"""Benchmark: the national programme of joint area reviews by CP-SAT, against the greedy
baseline.

    .venv/bin/python benchmarks/programme_plan.py [--limits 10 60 120] [--workers 2]

The 153 real areas (the registry's shipped file) with a SYNTHETIC risk, the generated
national workforce (300 SYNTHETIC inspectors with leave and setting-inspection load) and
SYNTHETIC corporate assessments with their Appendix 3 options, from September 2005 for three
years. For each time limit, one CP-SAT run: objective, the proven bound of the two-stage
model, its gap, the lower bound of the whole problem (stage 1 at full capacity) and the gap
against it, and whether the independent checker finds anything. Then the greedy baseline.
Target (issue 11): feasible with teams within 120 s, gap under 2% at 120 s, clearly better
than greedy. No database is needed.
"""

import argparse
import os
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = date(2005, 9, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limits", type=float, nargs="+", default=[10.0, 60.0, 120.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecm_inspect.config.settings.test"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from ecm_inspect.programme.checker import context_build, programme_check
    from ecm_inspect.programme.greedy import greedy
    from ecm_inspect.programme.problem import Problem
    from ecm_inspect.programme.services import document_build
    from ecm_inspect.programme.solver import plan_objective, solve
    from ecm_inspect.programme.workforce import (
        real_areas,
        synthetic_corporate_assessments,
        synthetic_inspectors,
    )

    def build() -> Problem:
        areas = real_areas(seed=args.seed)
        regions = Counter(a.region for a in areas)
        people = synthetic_inspectors(seed=args.seed, start=START, years=3, regions=dict(regions))
        cas = synthetic_corporate_assessments(
            seed=args.seed, gss_codes=[a.gss for a in areas], start=START, years=3
        )
        areas = [replace(a, corporate_assessment=cas[a.gss]) for a in areas]
        return Problem(start=START, years=3, areas=areas, inspectors=[p[0] for p in people])

    problem = build()
    context = context_build(problem)
    print(
        f"{len(problem.areas)} areas, {len(problem.inspectors)} inspectors over "
        f"{len(problem.bodies)} bodies, {problem.weeks} weeks; team of {problem.team_size}, "
        f"review share {problem.review_share:.0%}; {args.workers} CP-SAT workers"
    )
    head = (
        f"{'run':14} {'status':9} {'s':>6} {'objective':>10} {'bound':>10} {'gap':>6} "
        f"{'true LB':>10} {'gap LB':>7} checker"
    )
    print(head)
    best = None
    for limit in args.limits:
        problem = build()  # fresh caches: each run from scratch
        started = time.monotonic()
        result = solve(problem, time_limit=limit, workers=args.workers)
        seconds = time.monotonic() - started
        if not result.feasible:
            print(
                f"cp-sat {limit:>5.0f}s  {result.status:9} {seconds:6.1f} no programme: "
                + "; ".join(str(r) for r in result.reasons)
            )
            continue
        problems = programme_check(document_build(problem, result), context)
        lb = result.stages.get("relaxation_bound")
        assert result.objective is not None
        assert plan_objective(problem, result.reviews) == result.objective
        true_gap = (result.objective - lb) / result.objective if lb is not None else None
        print(
            f"cp-sat {limit:>5.0f}s  {result.status:9} {seconds:6.1f} {result.objective:>10,} "
            f"{result.bound:>10,} {result.gap:>6.2%} {lb if lb is not None else '-':>10,} "
            f"{(f'{true_gap:.2%}' if true_gap is not None else '-'):>7} "
            f"{'ok' if not problems else f'{len(problems)} broken'}"
        )
        best = result
    started = time.monotonic()
    baseline = greedy(build())
    seconds = time.monotonic() - started
    placed = len(baseline.reviews)
    if baseline.feasible:
        print(f"{'greedy':14} {'complete':9} {seconds:6.1f} {baseline.objective:>10,}")
    else:
        problem = build()
        placed_areas = {r.gss for r in baseline.reviews}
        partial = plan_objective(problem, baseline.reviews)
        print(
            f"{'greedy':14} {'failed':9} {seconds:6.1f} placed {placed} of {len(problem.areas)} "
            f"areas: no programme (it leaves out {', '.join(baseline.unplaced)}); objective of "
            f"the placed reviews {partial:,}"
        )
        if best is not None:
            same = [r for r in best.reviews if r.gss in placed_areas]
            print(
                f"{'':14} CP-SAT's objective over the same {placed} areas: "
                f"{plan_objective(problem, same):,}"
            )


if __name__ == "__main__":
    main()
