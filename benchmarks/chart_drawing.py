"""Time to draw the largest server-drawn charts: the programme timeline (a bar per review, a
column per month) and the report's indicator dot plot, each drawn `--runs` times; prints the
median per chart. Figures go in docs/performance.md.

    .venv/bin/python benchmarks/chart_drawing.py --reviews 150 --runs 50
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecm_inspect.config.settings.test")

import django  # noqa: E402

django.setup()

from ecm_inspect.programme.charts import timeline_svg  # noqa: E402
from ecm_inspect.reports.charts import indicators_svg  # noqa: E402
from ecm_inspect.reports.selectors import IndicatorPosition  # noqa: E402

REGIONS = ["North East", "North West", "Yorkshire", "East Midlands", "West Midlands", "East",
           "London", "South East", "South West"]  # fmt: skip


def programme_rows(reviews: int) -> list[dict[str, object]]:
    start = date(2026, 1, 5)
    return [
        {
            "analysis_start": start + timedelta(weeks=n % 150),
            "fieldwork_start": start + timedelta(weeks=n % 150 + 4),
            "fieldwork_end": start + timedelta(weeks=n % 150 + 6),
            "region": REGIONS[n % len(REGIONS)],
            "area": f"Area {n}",
            "fixity": ("indicative", "confirmed", "notified")[n % 3],
        }
        for n in range(reviews)
    ]


def indicator_rows(count: int) -> list[IndicatorPosition]:
    return [
        IndicatorPosition(
            code=f"I{n}",
            label=f"Indicator {n}",
            title=f"Indicator {n}",
            unit="%",
            better="higher",
            year=2025,
            value=50 + n,
            england=52.0,
            neighbours=[(f"Neighbour {k}", 40.0 + k * 2) for k in range(10)],
        )  # fmt: skip
        for n in range(count)
    ]


def median_ms(draw: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        draw()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=150)
    parser.add_argument("--indicators", type=int, default=12)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    rows = programme_rows(args.reviews)
    positions = indicator_rows(args.indicators)
    timeline = median_ms(lambda: timeline_svg(rows, "Programme"), args.runs)
    dots = median_ms(lambda: indicators_svg(positions, "Indicators", "Gateshead"), args.runs)
    print(f"programme timeline, {args.reviews} reviews: median {timeline:.2f} ms")
    print(f"indicator dot plot, {args.indicators} indicators: median {dots:.2f} ms")


if __name__ == "__main__":
    main()
