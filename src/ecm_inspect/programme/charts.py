"""The programme as a timeline: one row per region, one column per month, a bar per review
(analysis to the end of fieldwork). Server-drawn SVG with presentation attributes only (the
strict Content Security Policy allows no inline styles or scripts); the table beside it holds
the same facts."""

from datetime import date
from typing import Any

from django.utils.safestring import SafeString

from ecm_inspect.core import charts as kit

LABEL, MONTH, ROW, TOP = 190, 26, 30, 34
BAR = {"indicative": "#1d70b8", "confirmed": "#00703c", "notified": "#0b0c0c"}


def _months(first: date, last: date) -> list[date]:
    out, month = [], date(first.year, first.month, 1)
    while month <= last:
        out.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return out


def timeline_svg(rows: list[dict[str, Any]], title: str) -> SafeString:
    if not rows:
        return SafeString("")
    first = min(r["analysis_start"] for r in rows)
    last = max(r["fieldwork_end"] for r in rows)
    months = _months(first, last)
    regions = sorted({r["region"] for r in rows})
    height = TOP + ROW * len(regions) + 10

    def x(day: date) -> float:
        k = (day.year - months[0].year) * 12 + day.month - months[0].month
        return LABEL + MONTH * (k + (day.day - 1) / 31)

    chart = kit.Chart(
        "programme",
        title,
        f"{len(rows)} reviews in {len(regions)} regions, from analysis starting "
        f"{first:%-d %B %Y} to fieldwork ending {last:%-d %B %Y}; the table lists each.",
        LABEL + MONTH * len(months) + 10,
        height + kit.LEGEND_HEIGHT,
        legend=kit.legend(
            [(colour, fixity.capitalize()) for fixity, colour in BAR.items()], LABEL, height
        ),
    )
    for k, month in enumerate(months):
        left = LABEL + MONTH * k
        chart.add(kit.Line(left, TOP - 6, left, height - 8, kit.FAINT))
        if month.month in (1, 4, 7, 10):
            chart.add(kit.Words(left + 1, TOP - 12, f"{month:%b %y}", size=10, fill=kit.GREY))
    for row, region in enumerate(regions):
        y = TOP + ROW * row
        chart.add(kit.Words(0, y + 18, region))
        here = sorted((r for r in rows if r["region"] == region), key=lambda r: r["analysis_start"])
        for n, r in enumerate(here):
            x0, x1 = x(r["analysis_start"]), x(r["fieldwork_end"])
            chart.add(
                kit.Rect(
                    x0, y + 4 + (n % 3) * 7, max(x1 - x0, 2), 6,
                    BAR.get(r["fixity"], BAR["indicative"]),
                    f"{r['area']}: analysis {r['analysis_start']:%-d %b %Y}, fieldwork "
                    f"{r['fieldwork_start']:%-d %b} to {r['fieldwork_end']:%-d %b %Y}",
                )
            )  # fmt: skip
    return kit.chart_svg(chart)


CALIBRATION_COLOURS = ("#1d70b8", "#f47738", "#4c2c92")


def calibration_svg(backtest: Any) -> str:
    """The back-test's calibration chart: for each model, its tested outcomes in tenths by
    predicted chance, the mean chance against the share found wanting (on the diagonal when
    well calibrated). Drawn from a template, so every text is escaped."""
    from django.template.loader import render_to_string

    left, top, size = 60, 20, 300
    legend_x = left + size + 24

    def x(v: float) -> int:
        return round(left + size * v)

    def y(v: float) -> int:
        return round(top + size * (1 - v))

    series = []
    for n, (result, colour) in enumerate(zip(backtest.results, CALIBRATION_COLOURS, strict=False)):
        dots = [
            {
                "x": x(c.predicted), "y": y(c.found_wanting), "r": 3 + min(c.outcomes, 12) / 3,
                "predicted": f"{c.predicted:.0%}", "observed": f"{c.found_wanting:.0%}",
                "outcomes": c.outcomes,
            }
            for c in result.calibration
        ]  # fmt: skip
        series.append(
            {
                "label": result.label, "colour": colour, "dots": dots,
                "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
                "auc": "n/a" if result.auc is None else f"{result.auc:.2f}",
                "legend_y": top + 12 + 22 * n,
            }
        )  # fmt: skip
    ticks = [{"x": x(v / 4), "y": y(v / 4), "label": f"{v * 25}%"} for v in range(5)]
    return render_to_string(
        "programme/calibration.svg",
        {
            "title": (
                f"Calibration out of time: fitted on what was published by the end of "
                f"{backtest.train_until}, tested on {backtest.tested} later inspections"
            ),
            "description": "; ".join(
                f"{s['label']}: "
                + ", ".join(f"predicted {d['predicted']} found {d['observed']}" for d in s["dots"])
                for s in series
            ),
            "width": legend_x + 300, "height": top + size + 50, "left": left, "top": top,
            "size": size, "right": left + size, "bottom": top + size,
            "middle": left + size // 2, "middle_y": top + size // 2, "ticks": ticks,
            "series": series, "legend_x": legend_x, "diagonal_y": top + 12 + 22 * len(series) - 4,
        },
    )  # fmt: skip


def weights_svg(model: Any) -> str:
    """The fitted model's weights, each a dot with its 90% bootstrap interval as a line
    either side, against zero (no pull): right of it, more risk."""
    from django.template.loader import render_to_string

    label_width, plot, top, row = 300, 300, 10, 26
    extent = max([abs(v) for w in model.weights for v in (w.low, w.high, w.weight)] + [0.5])

    def x(v: float) -> int:
        return round(label_width + plot * (v + extent) / (2 * extent))

    rows = [
        {
            "label": w.short, "y": top + row * n + 12, "x": x(w.weight),
            "low": x(w.low), "high": x(w.high),
            "words": f"{w.weight:+.2f} (90%: {w.low:+.2f} to {w.high:+.2f})",
        }
        for n, w in enumerate(model.weights)
    ]  # fmt: skip
    bottom = top + row * len(rows) + 4
    steps = [-extent, -extent / 2, 0.0, extent / 2, extent]
    ticks = [{"x": x(v), "label": f"{v:+.1f}", "zero": v == 0} for v in steps]
    return render_to_string(
        "programme/weights.svg",
        {
            "title": f"The risk model's weights, fitted on {model.outcomes} earlier inspections",
            "description": "; ".join(f"{r['label']}: {r['words']}" for r in rows),
            "width": label_width + plot + 20, "height": bottom + 44, "top": top,
            "bottom": bottom, "middle": label_width + plot // 2, "rows": rows, "ticks": ticks,
        },
    )  # fmt: skip
