"""Benchmark of the annual performance assessment: 150 areas x 5 years x 100 indicators.

    .venv/bin/python benchmarks/apa_run.py [--runs 3]

Builds a fresh SQLite database (or DATABASE_URL) with the Framework, the 153 real areas and
their statistical neighbours, 100 generated indicators (spread over the five outcomes and
service management, random direction) and their values for every area and England over seven
years (about 110,000 values), then measures, as medians of RUNS runs in this one process:

- reading every value the five assessments need (the floor: the rule cannot be faster than
  its input);
- `apa_run` for five years into an empty database (every judgement proposed and written with
  its history), and again with nothing changed.

Target (issue): the five-year run under 30 s on SQLite on this machine. Figures go in
docs/performance.md.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEARS = [2020, 2021, 2022, 2023, 2024]
GROUPS = ["BH", "SS", "EA", "PC", "EW", "SM"]


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--indicators", type=int, default=100)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ecm-bench-apa-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecm_inspect.config.settings.test"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from ecm_inspect.framework.services import framework_load
    from ecm_inspect.performance.models import (
        Assessment,
        IndicatorDefinition,
        IndicatorValue,
    )
    from ecm_inspect.performance.readings import year_data
    from ecm_inspect.performance.services import apa_run
    from ecm_inspect.registry.models import Area
    from ecm_inspect.registry.services import areas_load, inspectorates_load

    call_command("migrate", verbosity=0)
    framework_load()
    inspectorates_load()
    areas_load()
    areas = list(Area.objects.current())
    rng = random.Random(2005)  # noqa: S311 (benchmark data, not security)
    definitions = IndicatorDefinition.objects.bulk_create(
        IndicatorDefinition(
            code=f"BENCH{n:03d}",
            title=f"Generated indicator {n}",
            outcome=GROUPS[n % len(GROUPS)],
            polarity=rng.choice(["higher", "lower"]),
        )
        for n in range(args.indicators)
    )
    values = []
    for d in definitions:
        base = rng.uniform(10, 90)
        for year in range(YEARS[0] - 2, YEARS[-1] + 1):
            values.append(
                IndicatorValue(indicator=d, area=None, year=year, period=str(year), value=base)
            )
            for area in areas:
                values.append(
                    IndicatorValue(
                        indicator=d, area=area, year=year, period=str(year),
                        value=base * rng.uniform(0.7, 1.3),
                    )
                )  # fmt: skip
    IndicatorValue.objects.bulk_create(values, batch_size=5000)
    print(f"{len(areas)} areas, {len(definitions)} indicators, {len(values):,} values, "
          f"{len(YEARS)} years ({connection_vendor()})")  # fmt: skip

    def read_all() -> None:
        for year in YEARS:
            year_data(year)

    def run_all() -> None:
        for year in YEARS:
            apa_run(year=year)

    def reset() -> None:
        Assessment.objects.all().delete()
        Assessment.history.all().delete()  # type: ignore[attr-defined]

    floor = statistics.median(timed(read_all) for _ in range(args.runs))
    first, again = [], []
    for _ in range(args.runs):
        reset()
        first.append(timed(run_all))
        again.append(timed(run_all))
    fresh, rerun = statistics.median(first), statistics.median(again)
    judgements = len(areas) * len(YEARS) * 8
    print(f"{'what':60} {'median s':>9}  ratio")
    print(f"{'read every value the 5 assessments need (floor)':60} {floor:9.2f}  1.0x")
    print(f"{f'apa_run for 5 years, empty ({judgements:,} judgements)':60} {fresh:9.2f}  "
          f"{fresh / floor:.1f}x floor")  # fmt: skip
    print(f"{'apa_run for 5 years again, nothing changed':60} {rerun:9.2f}  "
          f"{rerun / floor:.1f}x floor")  # fmt: skip
    print(f"target: under 30 s for the 5-year run: {'met' if fresh < 30 else 'NOT met'}")


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
