"""The review team's confidential fieldwork records, minimised on the retention timetable
(docs/retention.md): once a review's report has been published for the set time, the area's own
reference for each child and the team's free text about children are erased in place. The
pseudonyms, ages, categories, dates and findings stay, so the judgements keep their evidence
trail; the erased text says when and why it went."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from ecm_inspect.core.retention import ERASED_PREFIX, erased_text

from .models import CaseFile, CaseFileNote, JourneyStep, TrackedChild


@dataclass(frozen=True)
class FieldworkErasure:
    case_files: int
    notes: int
    tracked_children: int
    journey_steps: int

    @property
    def total(self) -> int:
        return self.case_files + self.notes + self.tracked_children + self.journey_steps


def _not_erased(field: str) -> Q:
    return ~Q(**{f"{field}__startswith": ERASED_PREFIX}) & ~Q(**{field: ""})


def fieldwork_records_due(*, review_ids: Collection[int]) -> dict[str, list[int]]:
    """The records of these reviews that still hold what the timetable erases, by kind."""
    return {
        "case_files": list(
            CaseFile.objects.filter(review_id__in=review_ids)
            .exclude(area_reference__startswith="erased-")
            .values_list("pk", flat=True)
        ),
        "notes": list(
            CaseFileNote.objects.filter(case_file__review_id__in=review_ids)
            .filter(_not_erased("text"))
            .values_list("pk", flat=True)
        ),
        "tracked_children": list(
            TrackedChild.objects.filter(review_id__in=review_ids)
            .filter(_not_erased("summary"))
            .values_list("pk", flat=True)
        ),
        "journey_steps": list(
            JourneyStep.objects.filter(child__review_id__in=review_ids)
            .filter(_not_erased("what_happened"))
            .values_list("pk", flat=True)
        ),
    }


@transaction.atomic
def fieldwork_records_erase(*, review_ids: Collection[int], day: date) -> FieldworkErasure:
    """Erase the area's references and the free text about children of these reviews; returns
    how many records changed (none on a second run)."""
    due = fieldwork_records_due(review_ids=review_ids)
    text = erased_text(day)
    # Unique per review, so each keeps a reference of its own that names no one.
    CaseFile.objects.filter(pk__in=due["case_files"]).update(
        area_reference=Concat(Value("erased-"), Cast("pk", CharField()))
    )
    CaseFileNote.objects.filter(pk__in=due["notes"]).update(text=text)
    TrackedChild.objects.filter(pk__in=due["tracked_children"]).update(summary=text)
    JourneyStep.objects.filter(pk__in=due["journey_steps"]).update(what_happened=text)
    return FieldworkErasure(
        case_files=len(due["case_files"]),
        notes=len(due["notes"]),
        tracked_children=len(due["tracked_children"]),
        journey_steps=len(due["journey_steps"]),
    )
