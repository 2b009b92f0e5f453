"""Each person's start page: their own work, gathered by role from the domain apps' selectors
(each of which lists only what the person may open, asking the policy the page it links to
asks). What is overdue comes first, then what is due soonest."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.rules import passed_second_factor
from ecm_inspect.core.work import WorkItem
from ecm_inspect.evidence.selectors import request_work_for_user
from ecm_inspect.followup.selectors import overdue_follow_up_work, statement_work_for_user
from ecm_inspect.performance.selectors import alert_work_for_user, apa_work_for_user
from ecm_inspect.programme.selectors import programme_work_for_user
from ecm_inspect.reports.selectors import draft_work_for_user, judgement_work_for_user
from ecm_inspect.reviews.selectors import review_work_for_user

Source = Callable[..., list[WorkItem]]

_TEAM: list[Source] = [
    review_work_for_user,
    judgement_work_for_user,
    request_work_for_user,
    draft_work_for_user,
    statement_work_for_user,
]
_LEADS: list[Source] = [
    programme_work_for_user,
    alert_work_for_user,
    overdue_follow_up_work,
    review_work_for_user,
]
_AREA: list[Source] = [
    request_work_for_user,
    draft_work_for_user,
    statement_work_for_user,
    apa_work_for_user,
]

# Whose work comes from where (the "each role's day").
SOURCES: dict[str, list[Source]] = {
    Role.INSPECTOR: _TEAM,
    Role.REVIEW_TEAM_LEADER: _TEAM,
    Role.INSPECTORATE_LEAD: _LEADS,
    Role.NATIONAL_LEAD: _LEADS,
    Role.DCS: _AREA,
    Role.PARTNER_CONTRIBUTOR: _AREA,
}


@dataclass(frozen=True)
class Section:
    title: str
    items: list[WorkItem]


@dataclass(frozen=True)
class Work:
    sections: list[Section]

    @property
    def items(self) -> list[WorkItem]:
        return [i for s in self.sections for i in s.items]

    @property
    def count(self) -> int:
        """What the navigation counts: the things to do (not the places to go)."""
        return sum(1 for i in self.items if i.is_task)

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.is_task and i.overdue)


def _order(item: WorkItem) -> tuple[bool, bool, date]:
    return (not item.overdue, item.due is None, item.due or date.max)


def work_for_user(*, user: Any, today: date) -> Work:
    """`user`'s work by section, in the order the sources give the sections; within a
    section, overdue first, then by due date (undated last)."""
    if not passed_second_factor(user):
        return Work([])
    sections: dict[str, list[WorkItem]] = {}
    for source in SOURCES.get(str(user.role), []):
        for item in source(user=user, today=today):
            sections.setdefault(item.section, []).append(item)
    return Work([Section(t, sorted(items, key=_order)) for t, items in sections.items()])
