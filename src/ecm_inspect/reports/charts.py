"""The review's grades as a server-drawn bar chart (SVG; the grades table holds the same)."""

from html import escape
from typing import Any

COLOURS = {4: "#00703c", 3: "#1d70b8", 2: "#f47738", 1: "#d4351c"}
WORDS = {4: "Outstanding", 3: "Good", 2: "Adequate", 1: "Inadequate"}


def grades_svg(judgements: list[Any], title: str) -> str:
    rows = [j for j in judgements if j.grade]
    if not rows:
        return ""
    width, bar, label = 400, 20, 230
    height = 20 + len(rows) * (bar + 8)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="ecm-chart" '
        f'viewBox="0 0 {label + width + 110} {height}" role="img" aria-labelledby="grades-title" '
        'font-family="GDS Transport, arial, sans-serif">',
        f'<title id="grades-title">{escape(title)}</title>',
    ]
    for n, j in enumerate(rows):
        y = 10 + n * (bar + 8)
        w = width * j.grade / 4
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="13" fill="#0b0c0c">{escape(j.title[:34])}</text>'
            f'<rect x="{label}" y="{y}" width="{w:.0f}" height="{bar}" fill="{COLOURS[j.grade]}"/>'
            f'<text x="{label + w + 6:.0f}" y="{y + 15}" font-size="13" fill="#0b0c0c">'
            f"{j.grade} {WORDS[j.grade]}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
