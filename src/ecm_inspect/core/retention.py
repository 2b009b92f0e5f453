"""The retention timetable (docs/retention.md): how long what the service keeps about people is
kept before it is erased or minimised, from the settings in force, and the e-mails' bodies, the
one thing of its own that core erases. Each domain erases its own records (evidence/retention.py,
voices/retention.py); `ecm retention` runs them all."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from .models import EmailStatus, OutgoingEmail

ERASED_PREFIX = "Erased on "


def erased_text(day: date) -> str:
    """What an erased field says instead of its text: when, and why."""
    return f"{ERASED_PREFIX}{date_format(day, 'j F Y')} under the retention timetable."


@dataclass(frozen=True)
class Timetable:
    """Days each kind of record is kept: the fieldwork records and own words count from the
    report's publication, an e-mail's words from when it was sent or handled."""

    fieldwork_records: int
    own_words: int
    email_bodies: int


def timetable() -> Timetable:
    days = settings.ECM_RETENTION_DAYS
    return Timetable(days["fieldwork_records"], days["own_words"], days["email_bodies"])


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _email_bodies_due(today: date) -> "Q":
    before = _start_of(today - timedelta(days=timetable().email_bodies))
    done = Q(status=EmailStatus.SENT, sent_at__lt=before) | Q(
        status=EmailStatus.HANDLED, handled_at__lt=before
    )
    return done & ~Q(body__startswith=ERASED_PREFIX)


def email_bodies_due(*, today: date) -> int:
    """How many delivered (or handled) e-mails are older than the timetable allows."""
    return OutgoingEmail.objects.filter(_email_bodies_due(today)).count()


@transaction.atomic
def email_bodies_erase(*, today: date) -> int:
    """Erase the words of delivered (or handled) e-mails older than the timetable allows; who
    they went to, the subject and how delivery went stay. Queued and undelivered ones are never
    touched: they are still work."""
    return OutgoingEmail.objects.filter(_email_bodies_due(today)).update(body=erased_text(today))
