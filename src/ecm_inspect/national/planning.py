"""Shared planning across inspectorates (2005 Framework, paragraph 11): each body's planned
inspections on one calendar, and a warning where one organisation would get several
inspections close together, with a combined visit proposed instead (principle (5): minimise
the burden on those inspected)."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from ecm_inspect.provision.selectors import planned_inspections


@dataclass(frozen=True)
class Clash:
    provider: str
    inspections: list[str]
    bodies: list[str]
    first_start: date
    last_end: date

    @property
    def proposal(self) -> str:
        return (
            f"Combine into one coordinated visit from {self.first_start:%-d %B %Y}, led by "
            f"{self.bodies[0]} with {', '.join(self.bodies[1:]) or 'the same team'}: one visit "
            "plan, shared findings, one record."
        )


def clashes(*, today: date | None = None, window_days: int | None = None) -> list[Clash]:
    """Providers with two or more planned inspections starting within `window_days` of each
    other (default ECM_BURDEN_WINDOW_DAYS)."""
    window = timedelta(days=window_days or settings.ECM_BURDEN_WINDOW_DAYS)
    by_provider: dict[int, list[Any]] = {}
    names: dict[int, str] = {}
    for inspection in planned_inspections(today=today or timezone.localdate()):
        for inspected in inspection.inspected.all():
            by_provider.setdefault(inspected.provider_id, []).append(inspection)
            names[inspected.provider_id] = inspected.provider.display_name
    out = []
    for provider_id, items in by_provider.items():
        items.sort(key=lambda i: i.starts_on)
        group = [items[0]]
        for item in items[1:]:
            if item.starts_on - group[-1].starts_on <= window:
                group.append(item)
            else:
                if len(group) > 1:
                    out.append(_clash(names[provider_id], group))
                group = [item]
        if len(group) > 1:
            out.append(_clash(names[provider_id], group))
    return sorted(out, key=lambda c: c.first_start)


def _clash(name: str, group: list[Any]) -> Clash:
    bodies: list[str] = []
    for i in group:
        body = i.lead_inspectorate.short_name
        if body not in bodies:
            bodies.append(body)
    return Clash(
        provider=name,
        inspections=[
            f"{i.lead_inspectorate.short_name} from {i.starts_on:%-d %b %Y}" for i in group
        ],
        bodies=bodies,
        first_start=group[0].starts_on,
        last_end=max(i.ends_on for i in group),
    )
