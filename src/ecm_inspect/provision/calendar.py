"""The shared calendar of planned setting inspections across inspectorates, as iCalendar
(RFC 5545), so each inspectorate's own calendar can show every body's plans (principle (5))."""

import datetime
from collections.abc import Iterable

from icalendar import Calendar, Event

from .models import SettingInspection

PRODID = "-//ECM Inspect//Planned setting inspections//EN"


def planned_calendar_ics(
    *, inspections: Iterable[SettingInspection], stamp: datetime.datetime
) -> bytes:
    """One all-day event per planned inspection; the UID is stable, so a re-import updates
    the event instead of adding another."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Planned setting inspections")
    for inspection in inspections:
        bodies = [inspection.lead_inspectorate, *inspection.other_inspectorates.all()]
        providers = [ip.provider for ip in inspection.inspected.all()]
        event = Event()
        event.add("uid", f"setting-inspection-{inspection.pk}@ecm-inspect")
        event.add("dtstamp", stamp)
        event.add("dtstart", inspection.starts_on)
        # DTEND of an all-day event is exclusive: the day after the last day.
        event.add("dtend", inspection.ends_on + datetime.timedelta(days=1))
        names = "; ".join(p.name for p in providers)
        event.add("summary", f"{' + '.join(b.short_name for b in bodies)}: {names}")
        areas = sorted({str(p.area) for p in providers})
        event.add("location", ", ".join(areas))
        event.add(
            "description",
            f"{inspection.statutory_framework}\n{inspection.visit_plan}".strip(),
        )
        event.add("sequence", inspection.version)
        cal.add_component(event)
    return bytes(cal.to_ical())
