"""Grade charts as server-drawn SVG (no JavaScript), each with a title and a table beside it."""

from collections.abc import Mapping
from html import escape
from typing import Any

from ecm_inspect.core.svg import LEGEND_HEIGHT, legend_svg

GRADE_COLOURS = {4: "#00703c", 3: "#1d70b8", 2: "#f47738", 1: "#d4351c"}
WORDS = {4: "Outstanding", 3: "Good", 2: "Adequate", 1: "Inadequate"}


def spread_svg(ours: Mapping[int, float], real: Mapping[int, float], title: str) -> str:
    """Two rows of grade shares (percentages): this year's proposals and the real 2005 APA."""
    width, bar, top = 560, 22, 24
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="ecm-chart" '
        f'viewBox="0 0 {width + 150} {110 + LEGEND_HEIGHT}" role="img" '
        'aria-labelledby="spread-title spread-desc" '
        'font-family="GDS Transport, arial, sans-serif">',
        f'<title id="spread-title">{escape(title)}</title>',
        '<desc id="spread-desc">'
        + escape(
            "; ".join(
                f"{label}: "
                + ", ".join(f"{WORDS[g].lower()} {shares.get(g, 0.0):.0f}%" for g in (4, 3, 2, 1))
                for label, shares in (("this year", ours), ("real APA 2005", real))
            )
        )
        + "</desc>",
        legend_svg([(GRADE_COLOURS[g], WORDS[g]) for g in (4, 3, 2, 1)], 140, 106),
    ]
    for row, (label, shares) in enumerate((("This year", ours), ("Real APA 2005", real))):
        y = top + row * (bar + 18)
        parts.append(f'<text x="0" y="{y + 15}" font-size="13" fill="#0b0c0c">{label}</text>')
        x = 140.0
        for grade in (4, 3, 2, 1):
            share = shares.get(grade, 0.0)
            w = width * share / 100
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" '
                f'fill="{GRADE_COLOURS[grade]}">'
                f"<title>{WORDS[grade]}: {share:.0f}%</title></rect>"
            )
            if w > 28:
                parts.append(
                    f'<text x="{x + 4:.1f}" y="{y + 15}" font-size="12" fill="#ffffff">'
                    f"{share:.0f}%</text>"
                )
            x += w
    parts.append("</svg>")
    return "".join(parts)


def neighbours_svg(rows_by_section: Mapping[str, list[Any]], title: str) -> str:
    """One bar per section (outcome): how many of its graded indicators are better than, about
    the same as or worse than the mean of the statistical neighbours."""
    colours = {"better": "#00703c", "similar": "#505a5f", "worse": "#d4351c"}
    width, bar, top = 420, 18, 30
    sections = list(rows_by_section.items())
    height = top + len(sections) * (bar + 10) + 10
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="ecm-chart" '
        f'viewBox="0 0 {width + 260} {height}" role="img" '
        'aria-labelledby="neighbours-title neighbours-desc" '
        'font-family="GDS Transport, arial, sans-serif">',
        f'<title id="neighbours-title">{escape(title)}</title>',
        '<desc id="neighbours-desc">'
        + escape(
            "; ".join(
                f"{section}: "
                + ", ".join(
                    f"{sum(1 for r in rows if r.against_neighbours == k)} {k}" for k in colours
                )
                for section, rows in sections
            )
            + " (indicators against the statistical neighbours' mean)"
        )
        + "</desc>",
    ]
    x0 = 250
    parts.append(legend_svg(list(zip(colours.values(), colours.keys(), strict=True)), x0, 0, 90))
    for n, (section, rows) in enumerate(sections):
        y = top + n * (bar + 10)
        counts = {k: sum(1 for r in rows if r.against_neighbours == k) for k in colours}
        total = sum(counts.values())
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="12" fill="#0b0c0c">{escape(section[:36])}</text>'
        )
        if not total:
            parts.append(
                f'<text x="{x0}" y="{y + 13}" font-size="12" fill="#505a5f">'
                "no neighbours' mean</text>"
            )
            continue
        x = float(x0)
        for kind, colour in colours.items():
            w = width * counts[kind] / total
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}">'
                f"<title>{escape(section)}: {counts[kind]} {kind}</title></rect>"
            )
            x += w
    parts.append("</svg>")
    return "".join(parts)
