"""Charts drawn on the server as SVG, for the web page and the PDF alike: the review's grades,
and where the area stands on headline indicators against its statistical neighbours. Each
chart has a title and a description for screen readers, and the report prints a table with
the same figures beside it. Presentation attributes only (no style attributes: the pages run
under a strict Content Security Policy)."""

from html import escape
from typing import Any

from .selectors import IndicatorPosition

COLOURS = {4: "#00703c", 3: "#1d70b8", 2: "#f47738", 1: "#d4351c"}
WORDS = {4: "Outstanding", 3: "Good", 2: "Adequate", 1: "Inadequate"}
TEXT, GREY, LIGHT = "#0b0c0c", "#505a5f", "#b1b4b6"
FONT = 'font-family="GDS Transport, arial, sans-serif"'


def _fmt(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"


def grades_svg(judgements: list[Any], title: str, ident: str = "grades") -> str:
    """A horizontal bar per graded judgement on the 1-4 scale, labelled with the grade."""
    rows = [j for j in judgements if j.grade]
    if not rows:
        return ""
    label, width, bar, gap, top = 210, 360, 22, 10, 28
    height = top + len(rows) * (bar + gap) + 6
    desc = "; ".join(f"{j.title}: {j.grade} {WORDS[j.grade].lower()}" for j in rows)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="ecm-chart" '
        f'viewBox="0 0 {label + width + 120} {height}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" {FONT}>',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    for grade in range(1, 5):
        x = label + width * grade / 4
        parts.append(
            f'<line x1="{x:.0f}" y1="{top - 6}" x2="{x:.0f}" y2="{height - 4}" stroke="{LIGHT}" '
            f'stroke-width="1"/><text x="{x:.0f}" y="{top - 10}" font-size="11" fill="{GREY}" '
            f'text-anchor="end">{grade}</text>'
        )
    for n, j in enumerate(rows):
        y = top + n * (bar + gap)
        w = width * j.grade / 4
        parts.append(
            f'<text x="{label - 8}" y="{y + 15}" font-size="13" fill="{TEXT}" text-anchor="end">'
            f"{escape(j.title[:30])}</text>"
            f'<rect x="{label}" y="{y}" width="{w:.0f}" height="{bar}" fill="{COLOURS[j.grade]}"/>'
            f'<text x="{label + w + 6:.0f}" y="{y + 15}" font-size="13" fill="{TEXT}">'
            f"{j.grade} {WORDS[j.grade]}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def indicators_svg(
    rows: list[IndicatorPosition], title: str, area: str = "The area", ident: str = "indicators"
) -> str:
    """A dot plot per indicator, each on its own scale: the statistical neighbours as grey
    dots, England as a black bar, the area as a large blue dot with its value; an arrow says
    which way is better."""
    if not rows:
        return ""
    label, width, row_h, top = 250, 380, 46, 24
    height = top + len(rows) * row_h
    area_name = escape(area)
    desc = "; ".join(
        f"{r.title}: {_fmt(r.value)} ({r.year}), {r.rank} of {r.out_of} with its neighbours"
        + (f", England {_fmt(r.england)}" if r.england is not None else "")
        for r in rows
    )
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="ecm-chart" '
        f'viewBox="0 0 {label + width + 70} {height}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" {FONT}>',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        '<g class="ecm-chart__legend">'
        f'<circle cx="{label + 6}" cy="10" r="7" fill="#1d70b8"/>'
        f'<text x="{label + 18}" y="14" font-size="11" fill="{TEXT}">{area_name}</text>'
        f'<circle cx="{label + 96}" cy="10" r="4" fill="{LIGHT}" stroke="{GREY}"/>'
        f'<text x="{label + 106}" y="14" font-size="11" fill="{TEXT}">statistical neighbours'
        f'</text><rect x="{label + 244}" y="2" width="3" height="16" fill="{TEXT}"/>'
        f'<text x="{label + 252}" y="14" font-size="11" fill="{TEXT}">England</text></g>',
    ]
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
        parts.append(
            f'<text x="0" y="{y - 4}" font-size="12" fill="{TEXT}">{escape(r.label[:40])}</text>'
            f'<text x="0" y="{y + 11}" font-size="10" fill="{GREY}">'
            f"{r.year}; {better}</text>"
            f'<line x1="{label}" y1="{y}" x2="{label + width}" y2="{y}" stroke="{LIGHT}"/>'
        )
        for _, v in r.neighbours:
            parts.append(f'<circle cx="{x(v):.1f}" cy="{y}" r="4" fill="{LIGHT}" stroke="{GREY}"/>')
        if r.england is not None:
            parts.append(
                f'<rect x="{x(r.england) - 1.5:.1f}" y="{y - 9}" width="3" height="18" '
                f'fill="{TEXT}"/>'
            )
        parts.append(
            f'<circle cx="{x(r.value):.1f}" cy="{y}" r="7" fill="#1d70b8"/>'
            f'<text x="{label + width + 8}" y="{y + 4}" font-size="12" font-weight="bold" '
            f'fill="#1d70b8">{_fmt(r.value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
