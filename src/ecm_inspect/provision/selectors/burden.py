"""The burden ledger of providers (principle (5)) and the shared calendar of planned
inspections."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from ecm_inspect.registry.models import Area, Provider

from ..models import InspectedProvider, InspectionContact, InspectionStatus, SettingInspection
from .records import RECENT_YEARS, years_before


@dataclass(frozen=True)
class LedgerEntry:
    starts_on: datetime.date
    ends_on: datetime.date | None
    what: str
    inspectorate: str
    provider: str
    description: str
    is_planned: bool
    inspection_id: int | None


@dataclass
class Ledger:
    since: datetime.date
    entries: list[LedgerEntry]

    @property
    def by_inspectorate(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for e in self.entries:
            counts[e.inspectorate] += 1
        return sorted(counts.items())

    @property
    def planned(self) -> list[LedgerEntry]:
        return [e for e in self.entries if e.is_planned]

    @property
    def past(self) -> list[LedgerEntry]:
        return [e for e in self.entries if not e.is_planned]


def burden_ledger(
    *,
    providers: models.QuerySet[Provider],
    today: datetime.date | None = None,
) -> Ledger:
    """Every setting inspection, visit and information request of these providers in the last
    RECENT_YEARS years and planned (principle (5): keep disruption to a minimum), oldest first,
    so the next inspection can be planned around them."""
    today = today or timezone.localdate()
    since = years_before(today, RECENT_YEARS)
    entries: list[LedgerEntry] = []
    inspections = (
        InspectedProvider.objects.filter(provider__in=providers, inspection__ends_on__gte=since)
        .select_related("provider__kind", "provider__area", "inspection__lead_inspectorate")
        .prefetch_related("inspection__other_inspectorates")
    )
    for ip in inspections:
        ins = ip.inspection
        bodies = [ins.lead_inspectorate, *ins.other_inspectorates.all()]
        entries.append(
            LedgerEntry(
                starts_on=ins.starts_on,
                ends_on=ins.ends_on,
                what="Inspection" if len(bodies) == 1 else "Coordinated inspection",
                inspectorate=", ".join(b.short_name for b in bodies),
                provider=ip.provider.display_name,
                description=ins.statutory_framework,
                is_planned=ins.status == InspectionStatus.PLANNED or ins.starts_on > today,
                inspection_id=ins.pk,
            )
        )
    contacts = InspectionContact.objects.filter(
        provider__in=providers, starts_on__gte=since
    ).select_related("provider__kind", "provider__area", "inspectorate")
    for c in contacts:
        entries.append(
            LedgerEntry(
                starts_on=c.starts_on,
                ends_on=c.ends_on,
                what=c.get_kind_display(),
                inspectorate=c.inspectorate.short_name,
                provider=c.provider.display_name,
                description=c.description,
                is_planned=c.starts_on > today,
                inspection_id=c.inspection_id,
            )
        )
    entries.sort(key=lambda e: (e.starts_on, e.provider, e.what))
    return Ledger(since=since, entries=entries)


def planned_inspections(
    *, area: Area | None = None, today: datetime.date | None = None
) -> models.QuerySet[SettingInspection]:
    """Inspections planned from today on, across inspectorates (the shared calendar)."""
    today = today or timezone.localdate()
    qs = (
        SettingInspection.objects.filter(status=InspectionStatus.PLANNED, ends_on__gte=today)
        .select_related("lead_inspectorate")
        .prefetch_related(
            "other_inspectorates", "inspected__provider__area", "inspected__provider__kind"
        )
        .order_by("starts_on", "pk")
    )
    if area is not None:
        qs = qs.filter(inspected__provider__area=area).distinct()
    return qs
