"""A review's milestones as iCalendar, for the team's and the area's calendars."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from .models import Review


def milestones_ical(*, review: Review) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//ECM Inspect//Joint area reviews//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", str(review))
    stamp = timezone.now()
    for milestone in review.milestones.all():
        day = milestone.actual or milestone.planned
        event = Event()
        event.add("uid", f"review-{review.pk}-{milestone.kind}@ecm-inspect")
        event.add("summary", f"{review.area.name} JAR: {milestone.get_kind_display()}")
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("dtstamp", stamp)
        if milestone.actual and milestone.actual != milestone.planned:
            event.add("description", f"Planned for {milestone.planned:%-d %B %Y}.")
        calendar.add_component(event)
    return calendar.to_ical()
