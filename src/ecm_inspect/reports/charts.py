"""Charts drawn on the server as SVG, for the web page and the PDF alike: the review's grades,
and where the area stands on headline indicators against its statistical neighbours. The
report prints a table with the same figures beside each (the chart kit: core/charts.py)."""

from typing import Any

from django.utils.safestring import SafeString

from ecm_inspect.core import charts as kit
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
    chart = kit.Chart(
        ident,
        title,
        "; ".join(f"{j.title}: {j.grade} {grade_words(j.grade)}" for j in rows),
        label + width + 120,
        height,
    )
    for grade in range(1, 5):
        x = label + width * grade / 4
        chart.add(
            kit.Line(x, top - 6, x, height - 4, kit.LIGHT),
            kit.Words(x, top - 10, str(grade), size=11, fill=kit.GREY, anchor="end"),
        )
    for n, j in enumerate(rows):
        y = top + n * (bar + gap)
        w = width * j.grade / 4
        chart.add(
            kit.Words(label - 8, y + 15, j.title[:30], size=13, anchor="end"),
            kit.Rect(label, y, w, bar, kit.GRADE_COLOURS[Grade(j.grade)]),
            kit.Words(label + w + 6, y + 15, f"{j.grade} {Grade(j.grade).label}", size=13),
        )
    return kit.chart_svg(chart)


def indicators_svg(
    rows: list[IndicatorPosition], title: str, area: str = "The area", ident: str = "indicators"
) -> SafeString:
    """A dot plot per indicator, each on its own scale: the statistical neighbours as grey
    dots, England as a black bar, the area as a large blue dot with its value; an arrow says
    which way is better."""
    if not rows:
        return SafeString("")
    label, width, row_h, top = 250, 380, 46, 24
    chart = kit.Chart(
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
            kit.Dot(label + 6, 10, 7, kit.BLUE),
            kit.Words(label + 18, 14, area, size=11),
            kit.Dot(label + 96, 10, 4, kit.LIGHT, stroke=kit.GREY),
            kit.Words(label + 106, 14, "statistical neighbours", size=11),
            kit.Rect(label + 244, 2, 3, 16, kit.TEXT),
            kit.Words(label + 252, 14, "England", size=11),
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
            kit.Words(0, y - 4, r.label[:40]),
            kit.Words(0, y + 11, f"{r.year}; {better}", size=10, fill=kit.GREY),
            kit.Line(label, y, label + width, y, kit.LIGHT),
        )
        chart.add(*(kit.Dot(x(v), y, 4, kit.LIGHT, stroke=kit.GREY) for _, v in r.neighbours))
        if r.england is not None:
            chart.add(kit.Rect(x(r.england) - 1.5, y - 9, 3, 18, kit.TEXT))
        chart.add(
            kit.Dot(x(r.value), y, 7, kit.BLUE),
            kit.Words(label + width + 8, y + 4, _fmt(r.value), fill=kit.BLUE, bold=True),
        )
    return kit.chart_svg(chart)
