"""The retention timetable run across the apps (docs/retention.md): which published reviews'
confidential records and own words are past their time, and the e-mails, counted before and
erased by `ecm retention --apply`. Top of the layers: it reads publication dates from reports
and asks evidence, voices and core to erase their own records."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from ecm_inspect.core.retention import email_bodies_due, email_bodies_erase, timetable
from ecm_inspect.evidence.retention import fieldwork_records_due, fieldwork_records_erase
from ecm_inspect.reports.models import Publication
from ecm_inspect.voices.retention import own_words_due, own_words_erase


@dataclass(frozen=True)
class RetentionCount:
    """What is past its time on `today`, or what was erased."""

    fieldwork_records: int
    own_words: int
    email_bodies: int

    @property
    def total(self) -> int:
        return self.fieldwork_records + self.own_words + self.email_bodies

    def lines(self) -> list[str]:
        days = timetable()
        return [
            f"Confidential fieldwork records (case files' references, notes, tracked children's "
            f"journeys), {days.fieldwork_records} days after publication: {self.fieldwork_records}",
            f"Children's and parents' own words in the surveys, {days.own_words} days after "
            f"publication: {self.own_words}",
            f"Words of delivered e-mails, {days.email_bodies} days after sending: "
            f"{self.email_bodies}",
        ]


def _published_before(days: int, today: date) -> list[int]:
    return list(
        Publication.objects.filter(published_on__lte=today - timedelta(days=days)).values_list(
            "review_id", flat=True
        )
    )


def retention_due(*, today: date) -> RetentionCount:
    days = timetable()
    fieldwork = fieldwork_records_due(review_ids=_published_before(days.fieldwork_records, today))
    return RetentionCount(
        sum(len(ids) for ids in fieldwork.values()),
        own_words_due(review_ids=_published_before(days.own_words, today)).total,
        email_bodies_due(today=today),
    )


@transaction.atomic
def retention_apply(*, today: date) -> RetentionCount:
    """Erase everything past its time, all or nothing; returns what changed."""
    days = timetable()
    fieldwork = fieldwork_records_erase(
        review_ids=_published_before(days.fieldwork_records, today), day=today
    )
    words = own_words_erase(review_ids=_published_before(days.own_words, today))
    return RetentionCount(fieldwork.total, words.total, email_bodies_erase(today=today))
