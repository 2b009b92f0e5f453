"""Grade charts as server-drawn SVG (no JavaScript), each with a title and a table beside it."""

from collections.abc import Mapping
from html import escape

GRADE_COLOURS = {4: "#00703c", 3: "#1d70b8", 2: "#f47738", 1: "#d4351c"}
WORDS = {4: "Outstanding", 3: "Good", 2: "Adequate", 1: "Inadequate"}


def spread_svg(ours: Mapping[int, float], real: Mapping[int, float], title: str) -> str:
    """Two rows of grade shares (percentages): this year's proposals and the real 2005 APA."""
    width, bar, top = 560, 22, 24
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="ecm-chart" '
        f'viewBox="0 0 {width + 150} 110" role="img" aria-labelledby="spread-title" '
        'font-family="GDS Transport, arial, sans-serif">',
        f'<title id="spread-title">{escape(title)}</title>',
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
