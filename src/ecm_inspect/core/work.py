"""One piece of a person's work as their start page lists it: what to do, where it is done,
and by when. Each domain app's selectors say which of its records are a person's work (asking
the same permission as the page the item links to); the web app's start page puts them
together by role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class WorkItem:
    section: str  # the heading it is listed under, e.g. "Judgements to draft"
    text: str  # what to do, in words
    href: str  # the page where it is done (one the person may open)
    due: date | None = None
    overdue: bool = False
    detail: str = ""  # a second line: the review, the state it is in
    is_task: bool = True  # counted in "Your work (N)"; False for a place to go (the programme)


def work_item(
    section: str,
    text: str,
    href: str,
    *,
    today: date,
    due: date | None = None,
    detail: str = "",
    is_task: bool = True,
) -> WorkItem:
    """A work item, overdue when its due date has passed."""
    return WorkItem(
        section=section,
        text=text,
        href=href,
        due=due,
        overdue=due is not None and due < today,
        detail=detail,
        is_task=is_task,
    )
