"""The programme as CSV, XLSX and iCalendar, with the names the reader may see."""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event

from ecm_inspect.accounts.exports import csv_text, xlsx_bytes

COLUMNS = [
    "gss_code",
    "area",
    "region",
    "analysis_start",
    "fieldwork_start",
    "fieldwork_end",
    "status",
    "leader",
    "team",
]


def _cells(r: dict[str, Any]) -> list[str]:
    team = "; ".join(
        f"{m['name']} ({m['body']})" if m.get("name") else m["body"] for m in r["team"]
    )
    return [
        r["gss"],
        r["area"],
        r["region"],
        r["analysis_start"].isoformat(),
        r["fieldwork_start"].isoformat(),
        r["fieldwork_end"].isoformat(),
        r["fixity"],
        r["leader"] or "",
        team,
    ]


def programme_csv(rows: list[dict[str, Any]]) -> str:
    return csv_text([COLUMNS, *(_cells(r) for r in rows)])


def programme_xlsx(rows: list[dict[str, Any]]) -> bytes:
    return xlsx_bytes({"Programme": [COLUMNS, *(_cells(r) for r in rows)]})


def programme_ical(rows: list[dict[str, Any]], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//ECM Inspect//Programme of joint area reviews//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for r in rows:
        for what, start, end in (
            ("analysis week", r["analysis_start"], r["analysis_start"] + timedelta(days=4)),
            ("fieldwork", r["fieldwork_start"], r["fieldwork_end"]),
        ):
            event = Event()
            event.add("uid", f"programme-{r['gss']}-{what.split()[0]}-{start}@ecm-inspect")
            event.add("summary", f"{r['area']} joint area review: {what}")
            event.add("dtstart", start)
            event.add("dtend", end + timedelta(days=1))
            event.add("dtstamp", stamp)
            calendar.add_component(event)
    return calendar.to_ical()
