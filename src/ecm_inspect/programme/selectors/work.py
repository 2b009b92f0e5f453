"""The programme on the national and inspectorate leads' start page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from ecm_inspect.core.work import WorkItem, work_item

from ..models import Programme, VersionStatus, YearConfirmation
from .planning import financial_year
from .versions import current_version


def risk_year(today: date) -> int:
    """The year the start page's risk ranking is read for: as at the end of the last whole year
    (as a plan reads it: the year before the programme starts)."""
    return today.year - 1


def _ends_on(programme: Programme) -> date:
    start = programme.starts_on
    return date(start.year + programme.years, start.month, 1)


def programme_work_for_user(*, user: Any, today: date) -> list[WorkItem]:
    """For the national and inspectorate leads: the programme (`programme.view_programme`),
    with the national lead's steps on it (a proposed version to approve, the next financial
    year to confirm by 31 December before it), and the risk ranking (`programme.view_risk`)."""
    items: list[WorkItem] = []
    if user.has_perm("programme.view_programme"):
        href = reverse("programme:index")
        version = current_version()
        items.append(
            work_item(
                "Programme and risk",
                "The programme of joint area reviews",
                href,
                today=today,
                detail=f"Version {version.number}: {version.get_status_display().lower()}."
                if version
                else "No programme has been planned yet.",
                is_task=False,
            )
        )
        if (
            version is not None
            and version.status == VersionStatus.PROPOSED
            and user.has_perm("programme.approve")
        ):
            items.append(
                work_item(
                    "Programme and risk",
                    f"Approve or re-plan version {version.number} of the programme",
                    href,
                    today=today,
                )
            )
        coming = financial_year(today) + 1
        if (
            version is not None
            and version.status == VersionStatus.APPROVED
            and user.has_perm("programme.confirm_year")
            and version.programme.starts_on <= date(coming + 1, 3, 31)
            and date(coming, 4, 1) < _ends_on(version.programme)
            and not YearConfirmation.objects.filter(
                programme=version.programme, financial_year=coming
            ).exists()
        ):
            items.append(
                work_item(
                    "Programme and risk",
                    f"Confirm the programme for the financial year {coming} to {coming + 1}",
                    href,
                    today=today,
                    due=date(coming - 1, 12, 31),  # 2004 proposals: confirmed each December
                )
            )
    if user.has_perm("programme.view_risk"):
        year = risk_year(today)
        items.append(
            work_item(
                "Programme and risk",
                f"The risk ranking of every area, {year}",
                reverse("programme:risk", args=[year]),
                today=today,
                detail="Each area's chance of being found wanting, from earlier inspections.",
                is_task=False,
            )
        )
    return items
