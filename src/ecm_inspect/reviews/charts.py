"""The review timetable as a Gantt-style chart: server-drawn SVG, readable without JavaScript,
with a text alternative (the milestone table beside it holds the same facts)."""

from datetime import date, timedelta

from django.utils.safestring import SafeString

from ecm_inspect.core import charts as kit

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


def timeline_svg(statuses: list[MilestoneStatus], today: date, title: str) -> SafeString:
    by_kind = {s.kind: s for s in statuses}
    if not by_kind:
        return SafeString("")
    days = [s.planned for s in statuses] + [s.actual for s in statuses if s.actual]
    first, last = min(days + [today]) - timedelta(days=3), max(days + [today]) + timedelta(days=3)
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return LABEL_WIDTH + CHART_WIDTH * (day - first).days / span

    height = TOP + ROW * len(PHASES) + 20
    chart = kit.Chart(
        "timeline",
        title,
        "; ".join(
            f"{s.label}: planned {s.planned:%-d %b %Y}"
            + (f", done {s.actual:%-d %b %Y}" if s.actual else "")
            + (" (overdue)" if s.overdue else "")
            for s in statuses
        ),
        LABEL_WIDTH + CHART_WIDTH + 10,
        height + kit.LEGEND_HEIGHT,
        legend=kit.legend(
            [(PLANNED, "Planned"), (ACTUAL, "Actual"), (LATE, "Late"), (TODAY, "Today (dashed)")],
            LABEL_WIDTH,
            height,
            110,
        ),
    )
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            chart.add(
                kit.Line(x(month), TOP - 8, x(month), height - 18, kit.FAINT),
                kit.Words(x(month) + 2, TOP - 12, f"{month:%b %Y}", size=11, fill=kit.GREY),
            )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for row, (label, start_kind, end_kind) in enumerate(PHASES):
        y = TOP + row * ROW
        start, end = by_kind.get(start_kind), by_kind.get(end_kind)
        chart.add(kit.Words(0, y + 15, label, size=13))
        if start is None or end is None:
            continue
        chart.add(
            kit.Rect(
                x(start.planned), y + 3, max(x(end.planned) - x(start.planned), 2), 9, PLANNED,
                f"{label} planned {start.planned:%-d %b} to {end.planned:%-d %b %Y}",
            )
        )  # fmt: skip
        if start.actual:
            finish = end.actual or (today if end.overdue else None)
            if finish and finish >= start.actual:
                colour = LATE if (end.slip_days > 0 or end.overdue) else ACTUAL
                chart.add(
                    kit.Rect(
                        x(start.actual), y + 13, max(x(finish) - x(start.actual), 2), 9, colour,
                        f"{label} actual {start.actual:%-d %b} to {finish:%-d %b %Y}",
                    )
                )  # fmt: skip
    chart.add(
        kit.Line(x(today), TOP - 8, x(today), height - 18, TODAY, dash="3 3"),
        kit.Words(x(today) + 3, height - 6, "today", size=11, fill=TODAY),
    )
    return kit.chart_svg(chart)
