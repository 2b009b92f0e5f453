"""Case files: the area's pseudonymised list of children (checked in full before it replaces
the list held), the stratified sample the team reads, their notes, and the children the team
tracks across services with the steps of their journeys. Confidential to the review team."""

import random
import string
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from django.db import transaction

from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.reviews.models import Review

from .case_list import case_list_read
from .models import (
    CaseCategory,
    CaseFile,
    CaseFileNote,
    FieldworkFinding,
    Indication,
    JourneyStep,
    TrackedChild,
)
from .screening import screen
from .services import EvidenceRefused, PersonalDataFound

# Pseudonyms are "Child " with two letters and three digits ("Child KD417"): 26 * 26 * 900 =
# 608,400 of them, six times the longest list taken (case_list.MAX_CASE_LIST_ROWS). They are
# drawn without replacement, so making them never retries and cannot spin.
PSEUDONYM_SPACE = 26 * 26 * 900


def _pseudonym_of(number: int) -> str:
    letters, digits = divmod(number, 900)
    first, second = divmod(letters, 26)
    return f"Child {string.ascii_uppercase[first]}{string.ascii_uppercase[second]}{digits + 100}"


def _pseudonyms(rng: random.Random, count: int, taken: Collection[str] = ()) -> list[str]:
    """`count` different pseudonyms, none of them in `taken`."""
    if count + len(taken) > PSEUDONYM_SPACE:
        raise EvidenceRefused(
            f"There are {PSEUDONYM_SPACE:,} pseudonyms; {len(taken):,} are taken and "
            f"{count:,} more were asked for."
        )
    # Drawing len(taken) more than needed leaves at least `count` once the taken are removed.
    drawn = (_pseudonym_of(n) for n in rng.sample(range(PSEUDONYM_SPACE), count + len(taken)))
    return [p for p in drawn if p not in taken][:count]


class CaseListRefused(EvidenceRefused):
    """The list was not taken; `field` is the form field the message belongs to."""

    def __init__(self, message: str, field: str = "file") -> None:
        self.field = field
        super().__init__(message)


@transaction.atomic
def case_files_import(
    *, review: Review, text: str | bytes, name: str = "The list", replace_with_empty: bool = False
) -> int:
    """The area's pseudonymised list of children (CSV: reference, age, categories, services;
    categories and services separated by ';'). Each child gets a pseudonym made here; names are
    refused. Every row is checked before anything is replaced (case_list.py); a list with no
    children replaces one only if `replace_with_empty`. Replaces an earlier list that has no
    notes yet. Returns the number of children."""
    if (
        CaseFileNote.objects.filter(case_file__review=review).exists()
        or FieldworkFinding.objects.filter(case_file__review=review).exists()
    ):
        raise CaseListRefused(
            "Inspectors have written notes or recorded readings on this list; it cannot be "
            "replaced."
        )
    reading = case_list_read(content=text, name=name)
    if reading.problems:
        raise CaseListRefused(
            "Nothing was imported and the list already held is unchanged. " + reading.describe()
        )
    held = CaseFile.objects.filter(review=review).count()
    if not reading.rows and not replace_with_empty:
        raise CaseListRefused(
            f"{name} has no children in it, only its header. Nothing was replaced"
            + (f": the list held has {held:,} children" if held else "")
            + ". To replace the list with an empty one, confirm that you mean to.",
            field="replace_with_empty",
        )
    # No notes (refused above); tracked children keep their pseudonym and lose the link. Then
    # one DELETE: the ORM's delete() would fetch every row to look for what refers to it,
    # about 15 s for a list of 100,000 on SQLite.
    TrackedChild.objects.filter(case_file__review=review).update(case_file=None)
    CaseFile.objects.filter(review=review)._raw_delete(CaseFile.objects.db)
    rng = random.Random(f"pseudonyms-{review.pk}")  # noqa: S311 (labels, not secrets)
    pseudonyms = _pseudonyms(rng, len(reading.rows))
    CaseFile.objects.bulk_create(
        (
            CaseFile(
                review=review,
                area_reference=row.reference,
                pseudonym=pseudonym,
                age=row.age,
                categories=row.categories,
                services=row.services,
            )
            for row, pseudonym in zip(reading.rows, pseudonyms, strict=True)
        ),
        batch_size=2_000,
    )
    return len(reading.rows)


AGE_BANDS = ((0, 4), (5, 10), (11, 15), (16, 25))


def _band(age: int) -> str:
    return next(f"{lo}-{hi}" for lo, hi in AGE_BANDS if lo <= age <= hi)


@transaction.atomic
def case_sample_draw(*, review: Review, size: int, seed: int | None = None) -> list[CaseFile]:
    """A stratified sample: strata are each child's main category by age band; every stratum
    present gets at least one, the rest in proportion; within a stratum, children with files in
    more than one service first. Reproducible: the same list and seed give the same sample."""
    files = list(CaseFile.objects.filter(review=review).order_by("area_reference"))
    if not files:
        raise EvidenceRefused("The area has not supplied its list of case files yet.")
    rng = random.Random(seed if seed is not None else review.pk)  # noqa: S311 (sampling)
    strata: dict[tuple[str, str], list[CaseFile]] = defaultdict(list)
    for f in files:
        main = f.categories[0] if f.categories else CaseCategory.CHILD_IN_NEED
        strata[(main, _band(f.age))].append(f)
    size = min(size, len(files))
    keys = sorted(strata)
    quota = {k: 1 for k in keys} if size >= len(keys) else {}
    if not quota:  # fewer places than strata: the largest strata first
        for k in sorted(keys, key=lambda k: -len(strata[k]))[:size]:
            quota[k] = 1
    left = size - sum(quota.values())
    total = len(files)
    for k in keys:
        quota[k] = quota.get(k, 0) + int(left * len(strata[k]) / total)
    spare = size - sum(quota.values())
    for k in sorted(keys, key=lambda k: -len(strata[k])):
        if spare <= 0:
            break
        if quota[k] < len(strata[k]):
            quota[k] += 1
            spare -= 1
    chosen: list[CaseFile] = []
    for k in keys:
        pool = strata[k][:]
        rng.shuffle(pool)
        pool.sort(key=lambda f: -len(f.services))  # stable: shuffled within equal counts
        chosen.extend(pool[: min(quota[k], len(pool))])
    CaseFile.objects.filter(review=review).update(in_sample=False)
    CaseFile.objects.filter(pk__in=[f.pk for f in chosen]).update(in_sample=True)
    return sorted(chosen, key=lambda f: f.pseudonym)


@transaction.atomic
def case_note_write(
    *,
    case_file: CaseFile,
    text: str,
    key_judgement_codes: Iterable[str] = (),
    indication: str = Indication.NEUTRAL,
    confirm_no_personal_data: bool = False,
    by: Any = None,
) -> CaseFileNote:
    """A note on a case file, screened for personal data before it is saved."""
    if not text.strip():
        raise EvidenceRefused("The note is empty.")
    findings = screen(text)
    if findings and not confirm_no_personal_data:
        raise PersonalDataFound(findings)
    note = CaseFileNote.objects.create(
        case_file=case_file,
        author=by,
        text=text.strip(),
        indication=indication,
        screening_confirmed=bool(findings),
    )
    note.key_judgements.set(
        KeyJudgement.objects.filter(
            code__in=list(key_judgement_codes),
            version__code=case_file.review.framework_code,
        )
    )
    return note


@transaction.atomic
def child_track(
    *, review: Review, case_file: CaseFile | None = None, summary: str = "", by: Any = None
) -> TrackedChild:
    findings = screen(summary)
    if findings:
        raise PersonalDataFound(findings)
    if case_file is not None:
        pseudonym = case_file.pseudonym
    else:  # a child outside the sample: a pseudonym no tracked child or case file has
        taken = set(TrackedChild.objects.filter(review=review).values_list("pseudonym", flat=True))
        taken |= set(CaseFile.objects.filter(review=review).values_list("pseudonym", flat=True))
        rng = random.Random(f"tracked-{review.pk}-{len(taken)}")  # noqa: S311 (labels)
        pseudonym = _pseudonyms(rng, 1, taken)[0]
    return TrackedChild.objects.create(
        review=review, case_file=case_file, pseudonym=pseudonym, summary=summary
    )


def journey_add(
    *,
    child: TrackedChild,
    on: date,
    service: str,
    what_happened: str,
    confirm_no_personal_data: bool = False,
) -> JourneyStep:
    findings = screen(what_happened)
    if findings and not confirm_no_personal_data:
        raise PersonalDataFound(findings)
    return JourneyStep.objects.create(
        child=child, on=on, service=service, what_happened=what_happened
    )
