"""What every server-drawn chart shares: the service's font and a legend of its series (a
swatch and a label per series, in a row), in presentation attributes only (the pages run under
a strict Content Security Policy)."""

from html import escape

FONT = 'font-family="GDS Transport, arial, sans-serif"'
LEGEND_HEIGHT = 24


def legend_svg(items: list[tuple[str, str]], x: float, y: float, step: float = 130) -> str:
    """A row of (colour, label) swatches with its top at y, one every `step` units from x;
    wrapped in a group marked as the legend."""
    parts = ['<g class="ecm-chart__legend">']
    for n, (colour, label) in enumerate(items):
        left = x + n * step
        parts.append(
            f'<rect x="{left:.0f}" y="{y + 4:.0f}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + 16:.0f}" y="{y + 14:.0f}" font-size="12" fill="#0b0c0c">'
            f"{escape(label)}</text>"
        )
    parts.append("</g>")
    return "".join(parts)
