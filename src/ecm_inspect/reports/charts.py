"""Charts drawn on the server as SVG, for the web page and the PDF alike: the review's grades,
and where the area stands on headline indicators against its statistical neighbours. The
report prints a table with the same figures beside each (the chart kit: core/charts.py)."""

from typing import Any

from django.utils.safestring import SafeString

from ecm_inspect.core.charts import (
    BLUE,
    GRADE_COLOURS,
    GREY,
    LIGHT,
    TEXT,
    Chart,
    Dot,
    Line,
    Rect,
    Words,
    chart_svg,
)
from ecm_inspect.framework.grades import Grade, grade_words

from .selectors import IndicatorPosition


def _fmt(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"


def grades_svg(judgements: list[Any], title: str, ident: str = "grades") -> SafeString:
    """A horizontal bar per graded judgement on the 1-4 scale, labelled with the grade."""
    rows = [j for j in judgements if j.grade]
    if not rows:
        return SafeString("")
    label, width, bar, gap, top = 210, 360, 22, 10, 28
    height = top + len(rows) * (bar + gap) + 6
    chart = Chart(
        ident,
        title,
        "; ".join(f"{j.title}: {j.grade} {grade_words(j.grade)}" for j in rows),
        label + width + 120,
        height,
    )
    for grade in range(1, 5):
        x = label + width * grade / 4
        chart.add(
            Line(x, top - 6, x, height - 4, LIGHT),
            Words(x, top - 10, str(grade), size=11, fill=GREY, anchor="end"),
        )
    for n, j in enumerate(rows):
        y = top + n * (bar + gap)
        w = width * j.grade / 4
        chart.add(
            Words(label - 8, y + 15, j.title[:30], size=13, anchor="end"),
            Rect(label, y, w, bar, GRADE_COLOURS[Grade(j.grade)]),
            Words(label + w + 6, y + 15, f"{j.grade} {Grade(j.grade).label}", size=13),
        )
    return chart_svg(chart)


def indicators_svg(
    rows: list[IndicatorPosition], title: str, area: str = "The area", ident: str = "indicators"
) -> SafeString:
    """A dot plot per indicator, each on its own scale: the statistical neighbours as grey
    dots, England as a black bar, the area as a large blue dot with its value; an arrow says
    which way is better."""
    if not rows:
        return SafeString("")
    label, width, row_h, top = 250, 380, 46, 24
    chart = Chart(
        ident,
        title,
        "; ".join(
            f"{r.title}: {_fmt(r.value)} ({r.year}), {r.rank} of {r.out_of} with its neighbours"
            + (f", England {_fmt(r.england)}" if r.england is not None else "")
            for r in rows
        ),
        label + width + 70,
        top + len(rows) * row_h,
        legend=[
            Dot(label + 6, 10, 7, BLUE),
            Words(label + 18, 14, area, size=11),
            Dot(label + 96, 10, 4, LIGHT, stroke=GREY),
            Words(label + 106, 14, "statistical neighbours", size=11),
            Rect(label + 244, 2, 3, 16, TEXT),
            Words(label + 252, 14, "England", size=11),
        ],
    )
    for n, r in enumerate(rows):
        y = top + n * row_h + 24
        every = [r.value, *(v for _, v in r.neighbours)] + (
            [r.england] if r.england is not None else []
        )
        low, high = min(every), max(every)
        span = (high - low) or 1.0

        def x(v: float, low: float = low, span: float = span) -> float:
            return label + 10 + (width - 20) * (v - low) / span

        better = "higher is better →" if r.better == "higher" else "← lower is better"
        chart.add(
            Words(0, y - 4, r.label[:40]),
            Words(0, y + 11, f"{r.year}; {better}", size=10, fill=GREY),
            Line(label, y, label + width, y, LIGHT),
        )
        chart.add(*(Dot(x(v), y, 4, LIGHT, stroke=GREY) for _, v in r.neighbours))
        if r.england is not None:
            chart.add(Rect(x(r.england) - 1.5, y - 9, 3, 18, TEXT))
        chart.add(
            Dot(x(r.value), y, 7, BLUE),
            Words(label + width + 8, y + 4, _fmt(r.value), fill=BLUE, bold=True),
        )
    return chart_svg(chart)
