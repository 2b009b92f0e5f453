"""Writes of the APA letter and its process: the assessment meeting with the council, issuing
the letter to the council for factual accuracy, the DCS's representations and the assessing
inspector's answers, and publication. Each is audited (the models' history)."""

import datetime
from typing import Any

from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from ecm_inspect.core.concurrency import record_update

from .models import (
    Assessment,
    CalendarDate,
    JudgementKind,
    LetterStatus,
    Representation,
    RepresentationAnswer,
)
from .services import AssessmentRefused

REPRESENTATION_MAX = 5000


def _locked(assessment: Assessment, by: Any = None) -> Assessment:
    found = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if by is not None:
        found._history_user = by  # type: ignore[attr-defined]  # the audit trail's who
    return found


@transaction.atomic
def assessment_meeting_record(
    *, assessment: Assessment, held_on: datetime.date, by: Any
) -> Assessment:
    """The date of the assessment meeting with the council (the calendar's step)."""
    if held_on > timezone.localdate():
        raise AssessmentRefused("Date of the meeting: it cannot be in the future.")
    if held_on.year < assessment.year:
        raise AssessmentRefused(
            f"Date of the meeting: the APA of {assessment.year} meets the council in "
            f"{assessment.year} or later."
        )
    found = _locked(assessment, by)
    found.meeting_held_on = held_on
    found.save(update_fields=["meeting_held_on"])
    return found


@transaction.atomic
def letter_issue(*, assessment: Assessment, by: Any) -> Assessment:
    """Issue the letter to the council for factual accuracy: only a draft, and only once every
    grade is recorded by the assessing inspector (who signs it)."""
    found = _locked(assessment, by)
    if found.letter_status != LetterStatus.DRAFT:
        raise AssessmentRefused(
            f"The letter has already been {found.get_letter_status_display().lower()}."
        )
    missing = [j.get_kind_display() for j in found.judgements.all() if not j.recorded_grade]
    if missing or not found.judgements.exists():
        raise AssessmentRefused(
            "Record every grade before issuing the letter; not yet recorded: "
            + (", ".join(missing) or "all of them")
            + "."
        )
    found.letter_status = LetterStatus.ISSUED
    found.letter_issued_at = timezone.now()
    found.letter_issued_by = by
    found.save(update_fields=["letter_status", "letter_issued_at", "letter_issued_by"])
    return found


@transaction.atomic
def letter_publish(*, assessment: Assessment, by: Any) -> Assessment:
    """Publish an issued letter: refused while any representation is unanswered."""
    found = _locked(assessment, by)
    if found.letter_status != LetterStatus.ISSUED:
        raise AssessmentRefused(
            "Only a letter issued to the council can be published; this one is "
            f"{found.get_letter_status_display().lower()}."
        )
    open_ = found.representations.filter(answer="").count()
    if open_:
        raise AssessmentRefused(
            f"Answer the council's {open_} outstanding representation"
            f"{pluralize(open_)} on factual accuracy before publishing."
        )
    found.letter_status = LetterStatus.PUBLISHED
    found.letter_published_at = timezone.now()
    found.letter_published_by = by
    found.save(update_fields=["letter_status", "letter_published_at", "letter_published_by"])
    return found


@transaction.atomic
def representation_make(
    *, assessment: Assessment, text: str, section: str = "", by: Any
) -> Representation:
    """The council's representation on the factual accuracy of the issued letter."""
    found = _locked(assessment)
    if found.letter_status != LetterStatus.ISSUED:
        raise AssessmentRefused(
            "Representations are made while the letter is issued to the council for factual "
            "accuracy, before it is published."
        )
    problems = []
    if not text.strip():
        problems.append("What is inaccurate: say what is factually wrong and the evidence.")
    elif len(text) > REPRESENTATION_MAX:
        problems.append(f"What is inaccurate: at most {REPRESENTATION_MAX} characters.")
    if section and section not in JudgementKind.values:
        problems.append("Part of the letter: choose one of the judgements, or the whole letter.")
    if problems:
        raise AssessmentRefused(" ".join(problems))
    return Representation.objects.create(
        assessment=found, section=section, text=text.strip(), made_by=by
    )


@transaction.atomic
def representation_answer(
    *, representation: Representation, answer: str, reasons: str, seen_version: int, by: Any
) -> Representation:
    """The assessing inspector's answer to a representation, accepted or rejected, with
    reasons; refused once the letter is published, or if someone answered it meanwhile."""
    assessment = _locked(representation.assessment)
    if assessment.letter_status != LetterStatus.ISSUED:
        raise AssessmentRefused("The letter is published: its representations are closed.")
    problems = []
    if answer not in RepresentationAnswer.values:
        problems.append("Answer: choose accepted or rejected.")
    if not reasons.strip():
        problems.append("Reasons: say why the representation is accepted or rejected.")
    if problems:
        raise AssessmentRefused(" ".join(problems))
    return record_update(
        record=representation,
        seen_version=seen_version,
        changes={
            "answer": answer,
            "answer_reasons": reasons.strip(),
            "answered_by": by,
            "answered_at": timezone.now(),
        },
        by=by,
    )


@transaction.atomic
def calendar_dates_set(*, year: int, dates: dict[str, datetime.date], by: Any) -> int:
    """The national lead's due dates for the year's APA steps (audited); returns how many
    changed. A date outside the APA's year and the next is refused, naming the step."""
    from .calendar import STEPS, calendar_for

    titles = {s.code: s.title for s in STEPS}
    problems = [
        f"{titles.get(code, code)}: choose a date in {year} or {year + 1}."
        for code, due in dates.items()
        if code not in titles or due.year not in (year, year + 1)
    ]
    if problems:
        raise AssessmentRefused(" ".join(problems))
    current = calendar_for(year)
    changed = 0
    for code, due in dates.items():
        found = CalendarDate.objects.select_for_update().filter(year=year, step=code).first()
        if (found.due if found is not None else current[code]) == due:
            continue  # unchanged: a default stays a default
        found = found or CalendarDate(year=year, step=code)
        found.due = due
        found.set_by = by
        found._history_user = by  # type: ignore[attr-defined]
        found.save()
        changed += 1
    return changed
