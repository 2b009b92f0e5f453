"""Grade charts as server-drawn SVG (no JavaScript), each with a title and a table beside it
(the chart kit: core/charts.py)."""

from collections.abc import Mapping
from typing import Any

from django.utils.safestring import SafeString

from ecm_inspect.core import charts as kit
from ecm_inspect.framework.grades import grade_words


def spread_svg(ours: Mapping[int, float], real: Mapping[int, float], title: str) -> SafeString:
    """Two rows of grade shares (percentages): this year's proposals and the real 2005 APA."""
    width, bar, top = 560, 22, 24
    rows = (("This year", "this year", ours), ("Real APA 2005", "real APA 2005", real))
    chart = kit.Chart(
        "spread",
        title,
        "; ".join(
            f"{said}: "
            + ", ".join(
                f"{grade_words(g)} {shares.get(g, 0.0):.0f}%" for g in kit.GRADES_BEST_FIRST
            )
            for _, said, shares in rows
        ),
        width + 150,
        110 + kit.LEGEND_HEIGHT,
        legend=kit.grade_legend(140, 106),
    )
    for row, (label, _, shares) in enumerate(rows):
        y = top + row * (bar + 18)
        chart.add(kit.Words(0, y + 15, label, size=13))
        x = 140.0
        for grade in kit.GRADES_BEST_FIRST:
            share = shares.get(grade, 0.0)
            w = width * share / 100
            if w <= 0:
                continue
            chart.add(
                kit.Rect(x, y, w, bar, kit.GRADE_COLOURS[grade], f"{grade.label}: {share:.0f}%")
            )
            if w > 28:
                chart.add(kit.Words(x + 4, y + 15, f"{share:.0f}%", fill="#ffffff"))
            x += w
    return kit.chart_svg(chart)


def neighbours_svg(rows_by_section: Mapping[str, list[Any]], title: str) -> SafeString:
    """One bar per section (outcome): how many of its graded indicators are better than, about
    the same as or worse than the mean of the statistical neighbours."""
    colours = {"better": "#00703c", "similar": kit.GREY, "worse": "#d4351c"}
    width, bar, top, x0 = 420, 18, 30, 250
    sections = list(rows_by_section.items())
    counted = [
        (section, {k: sum(1 for r in rows if r.against_neighbours == k) for k in colours})
        for section, rows in sections
    ]
    chart = kit.Chart(
        "neighbours",
        title,
        "; ".join(
            f"{section}: " + ", ".join(f"{counts[k]} {k}" for k in colours)
            for section, counts in counted
        )
        + " (indicators against the statistical neighbours' mean)",
        width + 260,
        top + len(sections) * (bar + 10) + 10,
        legend=kit.legend([(c, k) for k, c in colours.items()], x0, 0, 90),
    )
    for n, (section, counts) in enumerate(counted):
        y = top + n * (bar + 10)
        total = sum(counts.values())
        chart.add(kit.Words(0, y + 13, section[:36]))
        if not total:
            chart.add(kit.Words(x0, y + 13, "no neighbours' mean", fill=kit.GREY))
            continue
        x = float(x0)
        for kind, colour in colours.items():
            w = width * counts[kind] / total
            if w > 0:
                chart.add(kit.Rect(x, y, w, bar, colour, f"{section}: {counts[kind]} {kind}"))
                x += w
    return kit.chart_svg(chart)
