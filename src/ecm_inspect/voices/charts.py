"""A bar per survey item: the share of positive answers, with the reference survey (and any
compared area) marked, laid out for a server-drawn SVG (no script, nothing inline to block)."""

from typing import Any

from .analysis import SurveyResults

BAR_WIDTH = 400
ROW = 34
LABEL_WIDTH = 330


def results_chart(results: SurveyResults) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for page in results.pages:
        for item in page.items:
            if item.positive is None:
                continue
            share = item.positive.percent
            y = len(rows) * ROW + 6
            rows.append(
                {
                    "y": y,
                    "label": item.item.name.replace("_", " "),
                    "question": item.label,
                    "outcome": page.title,
                    "width": round(BAR_WIDTH * share / 100, 1) if share is not None else 0,
                    "share": share,
                    "suppressed": share is None,
                    "reference_x": round(LABEL_WIDTH + BAR_WIDTH * item.reference_percent / 100, 1)
                    if item.reference_percent is not None
                    else None,
                    "compared_x": round(LABEL_WIDTH + BAR_WIDTH * item.compared_percent / 100, 1)
                    if item.compared_percent is not None
                    else None,
                }
            )
    return {
        "rows": rows,
        "label_width": LABEL_WIDTH,
        "bar_width": BAR_WIDTH,
        "width": LABEL_WIDTH + BAR_WIDTH + 70,
        "height": len(rows) * ROW + 12,
        "bar_height": ROW - 12,
    }


def parents_chart(results: Any) -> dict[str, Any]:
    """A bar per question of the parents' and carers' proforma: the share who agree."""
    rows: list[dict[str, Any]] = []
    for q in results.questions:
        share = q.positive.percent
        rows.append(
            {
                "y": len(rows) * ROW + 6,
                "label": q.question.label,
                "width": round(BAR_WIDTH * share / 100, 1) if share is not None else 0,
                "share": share,
                "suppressed": share is None,
            }
        )
    return {
        "rows": rows,
        "label_width": LABEL_WIDTH,
        "bar_width": BAR_WIDTH,
        "width": LABEL_WIDTH + BAR_WIDTH + 70,
        "height": len(rows) * ROW + 12,
        "bar_height": ROW - 12,
    }
