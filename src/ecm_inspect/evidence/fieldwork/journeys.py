"""A tracked child's journey through services: dated steps, and the waits between them."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from ..models import (
    JourneyStep,
    StepKind,
    TrackedChild,
)
from ..services import EvidenceRefused
from .findings import text_screened


def journey_step_add(
    *,
    child: TrackedChild,
    on: datetime.date,
    kind: str,
    service: str,
    what_happened: str,
    confirm_no_personal_data: bool = False,
) -> JourneyStep:
    """A dated step of the child's journey (referral, assessment, plan, placement...)."""
    if kind not in StepKind.values:
        raise EvidenceRefused(f"No kind of step {kind!r}.")
    if not service.strip():
        raise EvidenceRefused("Say which service.")
    if not what_happened.strip():
        raise EvidenceRefused("Say what happened.")
    if on > timezone.localdate():
        raise EvidenceRefused("A step of the journey cannot be in the future.")
    text_screened(what_happened, confirm_no_personal_data)
    return JourneyStep.objects.create(
        child=child, on=on, kind=kind, service=service.strip(), what_happened=what_happened.strip()
    )


@dataclass(frozen=True)
class JourneyGap:
    """Time between two steps of a journey, for the timeline: long waits stand out."""

    after: str
    before: str
    days: int


def journey_waits(steps: list[JourneyStep]) -> list[JourneyGap]:
    """The waits between consecutive steps (given in date order)."""
    return [
        JourneyGap(a.get_kind_display(), b.get_kind_display(), (b.on - a.on).days)
        for a, b in zip(steps, steps[1:], strict=False)
    ]
