"""Benchmark of the risk model on the shipped data: the 153 areas, the DfE indicators and child
low income, Ofsted's ILACS judgements and the historical APA and rating results.

    .venv/bin/python benchmarks/risk_model.py [--runs 3] [--year 2026]

Builds a fresh SQLite database (or DATABASE_URL), loads the shipped files, then measures, as
medians of RUNS runs in this one process:

- reading every area's inputs at the end of the year (the floor: `risk_inputs`);
- fitting the model (the training outcomes' inputs, the fit and its 200 bootstrap refits),
  with the cache cleared;
- every area's risk as a page asks for it: the model from the cache, the inputs read again;
- the back-test with training up to 2018 (three models, tested on 67 later inspections).

Target: a page of the programme's risk answers within 2 s once the year's model is fitted;
a fit within 10 s. Figures go in docs/performance.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ecm-bench-risk-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecm_inspect.config.settings.test"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from ecm_inspect.framework.services import framework_load
    from ecm_inspect.performance.area_inspections import area_inspections_load
    from ecm_inspect.performance.indicators import indicators_load
    from ecm_inspect.programme.risk_evidence import (
        area_risks,
        risk_backtest,
        risk_inputs,
        risk_model,
    )
    from ecm_inspect.registry.services import areas_load, inspectorates_load

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    framework_load()
    inspectorates_load()
    areas_load()
    indicators_load()
    area_inspections_load()
    year = args.year

    def fit() -> None:
        cache.clear()
        risk_model(year=year)

    floor = statistics.median(timed(lambda: risk_inputs(year=year)) for _ in range(args.runs))
    fitting = statistics.median(timed(fit) for _ in range(args.runs))
    risk_model(year=year)
    page = statistics.median(timed(lambda: area_risks(year=year)) for _ in range(args.runs))
    backtest = statistics.median(
        timed(lambda: (cache.clear(), risk_backtest(train_until=2018))) for _ in range(args.runs)
    )
    print(f"{'what':60} {'median s':>9}  ratio")
    print(f"{f'every area inputs at the end of {year} (floor)':60} {floor:9.2f}  1.0x")
    print(f"{f'fit the model for {year} (cache cleared)':60} {fitting:9.2f}  "
          f"{fitting / floor:.1f}x floor")  # fmt: skip
    print(f"{'every area risk, model cached (a page)':60} {page:9.2f}  {page / floor:.1f}x floor")
    print(f"{'back-test, training to 2018 (3 models)':60} {backtest:9.2f}  "
          f"{backtest / floor:.1f}x floor")  # fmt: skip
    print(
        f"targets: page under 2 s {'met' if page < 2 else 'NOT met'}; "
        f"fit under 10 s {'met' if fitting < 10 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
