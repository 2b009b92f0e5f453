"""Meetings and focus groups held in fieldwork."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.framework.models import VulnerableGroup
from ecm_inspect.reviews.models import Review

from ..models import (
    FieldworkMeeting,
    MeetingKind,
)
from ..services import EvidenceRefused, rows_named
from .findings import text_screened


@transaction.atomic
def meeting_record(
    *,
    review: Review,
    kind: str,
    title: str,
    held_on: datetime.date,
    attendees: int,
    group_slugs: Iterable[str] = (),
    under_eights: bool = False,
    hard_to_reach: str = "",
    notes: str = "",
    confirm_no_personal_data: bool = False,
    is_synthetic: bool = False,
    by: Any = None,
) -> FieldworkMeeting:
    """A meeting or focus group held in fieldwork: who (described), how many, for which
    groups, and notes screened for personal data."""
    if kind not in MeetingKind.values:
        raise EvidenceRefused(f"No kind of meeting {kind!r}.")
    if not title.strip():
        raise EvidenceRefused("Say who the meeting was with, e.g. foster carers' group.")
    if attendees < 1:
        raise EvidenceRefused("A meeting has at least one person at it.")
    if held_on > timezone.localdate():
        raise EvidenceRefused("Record a meeting once it has been held.")
    groups = rows_named(VulnerableGroup.objects.all(), "slug", group_slugs, "vulnerable group")
    flagged = text_screened(f"{title}\n{hard_to_reach}\n{notes}", confirm_no_personal_data)
    meeting = FieldworkMeeting.objects.create(
        review=review,
        kind=kind,
        title=title.strip()[:200],
        held_on=held_on,
        attendees=attendees,
        under_eights=under_eights,
        hard_to_reach=hard_to_reach.strip()[:200],
        notes=notes.strip(),
        screening_confirmed=flagged,
        recorded_by=by,
        is_synthetic=is_synthetic,
    )
    meeting.vulnerable_groups.set(groups)
    return meeting
