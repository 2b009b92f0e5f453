"""The review timetable as a Gantt-style chart: server-drawn SVG, readable without JavaScript,
with a text alternative (the milestone table beside it holds the same facts)."""

from datetime import date, timedelta
from html import escape

from ecm_inspect.core.svg import LEGEND_HEIGHT, legend_svg

from .models import MilestoneKind
from .timetable import MilestoneStatus

# Phases drawn as bars, each from one milestone to the next.
PHASES = (
    ("Notice", MilestoneKind.NOTIFICATION, MilestoneKind.SET_UP_MEETING),
    ("Set-up and consultation", MilestoneKind.SET_UP_MEETING, MilestoneKind.ANALYSIS_START),
    ("Analysis", MilestoneKind.ANALYSIS_START, MilestoneKind.ANALYSIS_END),
    ("Fieldwork", MilestoneKind.FIELDWORK_START, MilestoneKind.FIELDWORK_END),
    ("Drafting the report", MilestoneKind.FIELDWORK_END, MilestoneKind.DRAFT_SENT),
    ("Accuracy comments", MilestoneKind.DRAFT_SENT, MilestoneKind.COMMENTS_CLOSE),
    ("Findings meeting", MilestoneKind.COMMENTS_CLOSE, MilestoneKind.FINDINGS_MEETING),
    ("To publication", MilestoneKind.FINDINGS_MEETING, MilestoneKind.PUBLICATION),
)
LABEL_WIDTH, CHART_WIDTH, ROW, TOP = 190, 560, 26, 30
PLANNED, ACTUAL, LATE, TODAY = "#b1b4b6", "#1d70b8", "#d4351c", "#0b0c0c"


def timeline_svg(statuses: list[MilestoneStatus], today: date, title: str) -> str:
    by_kind = {s.kind: s for s in statuses}
    if not by_kind:
        return ""
    days = [s.planned for s in statuses] + [s.actual for s in statuses if s.actual]
    first, last = min(days + [today]) - timedelta(days=3), max(days + [today]) + timedelta(days=3)
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return LABEL_WIDTH + CHART_WIDTH * (day - first).days / span

    height = TOP + ROW * len(PHASES) + 20
    desc = "; ".join(
        f"{s.label}: planned {s.planned:%-d %b %Y}"
        + (f", done {s.actual:%-d %b %Y}" if s.actual else "")
        + (" (overdue)" if s.overdue else "")
        for s in statuses
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ecm-chart" viewBox="0 0 '
        f'{LABEL_WIDTH + CHART_WIDTH + 10} {height + LEGEND_HEIGHT}" role="img" '
        'aria-labelledby="timeline-title timeline-desc" '
        'font-family="GDS Transport, arial, sans-serif">',
        f'<title id="timeline-title">{escape(title)}</title>',
        f'<desc id="timeline-desc">{escape(desc)}</desc>',
        legend_svg(
            [(PLANNED, "Planned"), (ACTUAL, "Actual"), (LATE, "Late"), (TODAY, "Today (dashed)")],
            LABEL_WIDTH,
            height,
            110,
        ),
    ]
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            parts.append(
                f'<line x1="{x(month):.1f}" y1="{TOP - 8}" x2="{x(month):.1f}" y2="{height - 18}" '
                'stroke="#f3f2f1"/>'
                f'<text x="{x(month) + 2:.1f}" y="{TOP - 12}" font-size="11" fill="#505a5f">'
                f"{month:%b %Y}</text>"
            )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for row, (label, start_kind, end_kind) in enumerate(PHASES):
        y = TOP + row * ROW
        start, end = by_kind.get(start_kind), by_kind.get(end_kind)
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="13" fill="#0b0c0c">{escape(label)}</text>'
        )
        if start is None or end is None:
            continue
        parts.append(
            f'<rect x="{x(start.planned):.1f}" y="{y + 3}" height="9" '
            f'width="{max(x(end.planned) - x(start.planned), 2):.1f}" fill="{PLANNED}">'
            f"<title>{escape(label)} planned {start.planned:%-d %b} to "
            f"{end.planned:%-d %b %Y}</title></rect>"
        )
        if start.actual:
            finish = end.actual or (today if end.overdue else None)
            if finish and finish >= start.actual:
                colour = LATE if (end.slip_days > 0 or end.overdue) else ACTUAL
                parts.append(
                    f'<rect x="{x(start.actual):.1f}" y="{y + 13}" height="9" '
                    f'width="{max(x(finish) - x(start.actual), 2):.1f}" fill="{colour}">'
                    f"<title>{escape(label)} actual {start.actual:%-d %b} to "
                    f"{finish:%-d %b %Y}</title></rect>"
                )
    parts.append(
        f'<line x1="{x(today):.1f}" y1="{TOP - 8}" x2="{x(today):.1f}" y2="{height - 18}" '
        f'stroke="{TODAY}" stroke-dasharray="3 3"/>'
        f'<text x="{x(today) + 3:.1f}" y="{height - 6}" font-size="11" fill="{TODAY}">today</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
