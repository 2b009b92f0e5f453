"""Writes of the evidence base: pulling existing evidence in, recording evidence and its
attachments, requests to the area, case files (sampling, screened notes), neighbourhood studies
and tracked children."""

import csv
import functools
import random
import string
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import pluralize

from ecm_inspect.accounts.uploads import (
    UploadRefused,
    sha256_of,
    store_on_commit,
    stored_name,
    upload_check,
)
from ecm_inspect.core.concurrency import record_update
from ecm_inspect.framework.models import KeyJudgement, ServiceManagementAspect, VulnerableGroup
from ecm_inspect.framework.selectors import key_judgements_of
from ecm_inspect.performance.models import (
    Assessment,
    AssessmentJudgement,
    SelfAssessment,
    SelfAssessmentStatus,
)
from ecm_inspect.performance.proposals import MIN_NEIGHBOURS, POSITION_TOLERANCE
from ecm_inspect.performance.selectors import indicator_rows
from ecm_inspect.provision.selectors import area_pool
from ecm_inspect.registry.models import Area
from ecm_inspect.reviews.models import MilestoneKind, Review, Stage

from .case_list import case_list_read
from .indicators import indicator_position, indicators_indication, neighbours_median
from .models import (
    Attachment,
    CaseCategory,
    CaseFile,
    CaseFileNote,
    EvidenceItem,
    EvidenceKind,
    EvidenceRequest,
    FieldworkFinding,
    Indication,
    JourneyStep,
    NeighbourhoodStudy,
    Origin,
    RequestStatus,
    TrackedChild,
)
from .screening import Finding, screen


class EvidenceRefused(Exception):
    pass


class PersonalDataFound(Exception):
    """Free text that may name someone: redact it, or confirm it names no one."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__(
            "This text may identify someone: "
            + "; ".join(f.describe() for f in findings)
            + ". Remove it, or confirm that it names no one."
        )


def _stamp(obj: Any, by: Any) -> Any:
    if by is not None:
        obj._history_user = by
    return obj


# -- pulling existing evidence in ---------------------------------------------------------


def _upsert_pulled(
    review: Review,
    origin: str,
    key: str,
    fields: dict[str, Any],
    judgements: Iterable[KeyJudgement],
    aspects: Iterable[ServiceManagementAspect] = (),
) -> tuple[EvidenceItem, bool]:
    item = EvidenceItem.objects.filter(review=review, origin=origin, origin_key=key).first()
    created = item is None
    if item is None:
        item = EvidenceItem(review=review, origin=origin, origin_key=key, **fields)
        item.save()
    elif any(getattr(item, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(item, k, v)
        item.version += 1
        item.save()
    item.key_judgements.set(list(judgements))
    if aspects:
        item.service_management_aspects.set(list(aspects))
    return item, created


@transaction.atomic
def evidence_pull(*, review: Review) -> int:
    """Pull in the evidence that already exists about the area: the latest APA (each grade),
    performance data (indicators against England), setting inspections (pooled per key
    judgement), earlier joint area reviews and the council's submitted self-assessment.
    Idempotent: each source is pulled once and refreshed if it changed. Returns how many new."""
    area = review.area
    start = review.analysis_starts_on
    created = 0
    aspects = list(ServiceManagementAspect.objects.all())
    assessment = (
        Assessment.objects.filter(area=area, year__lte=start.year).order_by("-year").first()
    )
    if assessment is not None:
        for j in AssessmentJudgement.objects.filter(assessment=assessment):
            if j.grade is None or j.kind in {"overall", "capacity"}:
                continue
            outcome = j.kind
            _, new = _upsert_pulled(
                review,
                Origin.APA,
                f"apa:{assessment.year}:{outcome}",
                {
                    "kind": EvidenceKind.APA_FINDINGS,
                    "title": f"APA {assessment.year}: {j.get_kind_display()} graded {j.grade}",
                    "source": f"Annual performance assessment {assessment.year}",
                    "dated": date(assessment.year, 12, 1),
                    "grade": j.grade,
                    "indication": Indication.STRENGTH if j.grade >= 3 else Indication.WEAKNESS,
                    "summary": " ".join(j.reasons[:2]),
                },
                key_judgements_of(outcome, review.framework_code) if outcome != "SM" else [],
                aspects if outcome == "SM" else [],
            )
            created += new
        medians = neighbours_median(area=area, year=assessment.year)
        for title, rows in indicator_rows(area=area, year=assessment.year).items():
            compared = [
                r
                for r in rows
                if r.value is not None
                and r.england is not None
                and r.definition.polarity in {"higher", "lower"}
            ]
            if not compared:
                continue
            counts = {"better": 0, "worse": 0, "in line": 0}
            lines = []
            for r in compared:
                median = medians.get(r.definition.pk)
                position = indicator_position(
                    value=float(r.value or 0),
                    england=float(r.england or 0),
                    neighbours=median,
                    polarity=r.definition.polarity,
                )
                counts[position] += 1
                lines.append(
                    f"{r.definition.title}: {r.value:g} (England {r.england:g}"
                    + (f", neighbours' median {median:g}" if median is not None else "")
                    + f"; {position})"
                )
            better, worse = counts["better"], counts["worse"]
            outcome = compared[0].definition.outcome
            with_neighbours = sum(1 for r in compared if r.definition.pk in medians)
            _, new = _upsert_pulled(
                review,
                Origin.APA,
                f"indicators:{assessment.year}:{outcome}",
                {
                    "kind": EvidenceKind.PERFORMANCE_DATA,
                    "title": f"Indicators {assessment.year}, {title}: {better} better than "
                    f"England or statistical neighbours, {worse} worse than both, "
                    f"{counts['in line']} in line",
                    "source": "DfE Local Authority Interactive Tool",
                    "dated": date(assessment.year, 12, 1),
                    "grade": None,
                    "indication": indicators_indication(
                        better=better, worse=worse, compared=len(compared)
                    ),
                    "summary": (
                        f"Compared with England and, for {with_neighbours} of {len(compared)}, "
                        f"the median of the area's statistical neighbours (at least "
                        f"{MIN_NEIGHBOURS} with data), within {POSITION_TOLERANCE:.0%}: "
                    )
                    + "; ".join(lines[:6]),
                },
                key_judgements_of(outcome, review.framework_code) if outcome != "SM" else [],
                aspects if outcome == "SM" else [],
            )
            created += new
    # Setting inspections: one item per key judgement, which counts as one source in the
    # analysis however many inspections stand behind it; it says how many distinct
    # inspections that is, and how many of them gave one overall grade that the relevance
    # matrix spread to other key judgements too (the same inspection stands behind those
    # key judgements' items: not independent findings).
    pool = area_pool(area=area, as_of=start)
    judgements = {
        kj.code: kj for kj in KeyJudgement.objects.filter(version__code=review.framework_code)
    }
    for kj_pool in pool.key_judgements:
        if not kj_pool.providers_judged:
            continue
        total = sum(kj_pool.distribution.values())
        mean = sum(int(g) * n for g, n in kj_pool.distribution.items()) / total
        kj = judgements.get(kj_pool.code)
        if kj is None:  # the setting inspections judged a key judgement this version lacks
            continue
        spread = ", ".join(f"{n} graded {int(g)}" for g, n in kj_pool.distribution_best_first if n)
        n = kj_pool.inspections
        overall = (
            f" {kj_pool.spread} of them gave one overall grade to several key judgements, "
            "this one among them."
            if kj_pool.spread
            else ""
        )
        _, new = _upsert_pulled(
            review,
            Origin.SETTING_INSPECTIONS,
            f"pool:{kj_pool.code}",
            {
                "kind": EvidenceKind.EARLIER_INSPECTION,
                "title": f"Setting inspections on {kj_pool.code}: {n} distinct "
                f"inspection{pluralize(n)}, one per provider",
                "source": "Setting inspections in the area",
                "dated": kj_pool.newest or start,
                "grade": round(mean),
                # As its grade says, like an APA grade: a mean of 2.6 is graded 3, a strength.
                "indication": Indication.STRENGTH if round(mean) >= 3 else Indication.WEAKNESS,
                "summary": f"{n} inspection{pluralize(n)} of {n} provider"
                f"{pluralize(n)}, each provider's latest: {spread}; "
                f"{kj_pool.stale} stale; {len(kj_pool.conflicts)} conflicting.{overall} "
                "Counted once in the analysis, at the rounded mean grade.",
            },
            [kj],
        )
        created += new
    earlier = Review.objects.filter(
        area=area, stage__in=[Stage.PUBLISHED, Stage.FOLLOW_UP], analysis_starts_on__lt=start
    ).exclude(pk=review.pk)
    for old in earlier:
        published = old.milestones.filter(kind=MilestoneKind.PUBLICATION).first()
        _, new = _upsert_pulled(
            review,
            Origin.REGISTRY,
            f"review:{old.pk}",
            {
                "kind": EvidenceKind.EARLIER_REVIEW,
                "title": f"The {old}",
                "source": "Earlier joint area review",
                "dated": (published.actual or published.planned)
                if published
                else old.analysis_starts_on,
                "grade": None,
                "indication": Indication.NEUTRAL,
                "summary": "Its findings and the statement of action that followed.",
            },
            [],
        )
        created += new
    submitted = (
        SelfAssessment.objects.filter(area=area, status=SelfAssessmentStatus.SUBMITTED)
        .order_by("-year")
        .first()
    )
    if submitted is not None:
        for part in submitted.parts.all():
            _, new = _upsert_pulled(
                review,
                Origin.AREA,
                f"self:{submitted.year}:{part.section}:{part.author_organisation}",
                {
                    "kind": EvidenceKind.SELF_ASSESSMENT,
                    "title": f"Self-assessment {submitted.year}, {part.section}, "
                    f"{part.author_organisation}",
                    "source": part.author_organisation,
                    "dated": (submitted.submitted_at.date() if submitted.submitted_at else start),
                    "grade": None,
                    "indication": Indication.NEUTRAL,
                    "summary": f"Strengths: {part.strengths} Weaknesses: {part.weaknesses}",
                },
                key_judgements_of(part.section, review.framework_code)
                if part.section != "SM"
                else [],
                aspects if part.section == "SM" else [],
            )
            created += new
    return created


# -- recording evidence -------------------------------------------------------------------


@transaction.atomic
def evidence_record(
    *,
    review: Review,
    kind: str,
    title: str,
    source: str,
    dated: date,
    key_judgement_codes: Iterable[str] = (),
    group_slugs: Iterable[str] = (),
    aspect_codes: Iterable[str] = (),
    grade: int | None = None,
    indication: str = Indication.NEUTRAL,
    summary: str = "",
    confirm_no_personal_data: bool = False,
    is_synthetic: bool = False,
    by: Any = None,
) -> EvidenceItem:
    """Record an evidence item. Its summary is screened for personal data first."""
    if kind not in EvidenceKind.values:
        raise EvidenceRefused(f"No kind of evidence {kind!r}.")
    if grade is not None and grade not in (1, 2, 3, 4):
        raise EvidenceRefused("A grade is 1 (inadequate) to 4 (outstanding).")
    findings = screen(f"{title}\n{summary}")
    if findings and not confirm_no_personal_data:
        raise PersonalDataFound(findings)
    codes = list(key_judgement_codes)
    judgements = list(
        KeyJudgement.objects.filter(code__in=codes, version__code=review.framework_code)
    )
    unknown = sorted(set(codes) - {k.code for k in judgements})
    if unknown:
        raise EvidenceRefused(f"No such key judgement: {', '.join(unknown)}.")
    item = _stamp(
        EvidenceItem(
            review=review,
            kind=kind,
            title=title,
            source=source,
            dated=dated,
            author=by,
            grade=grade,
            indication=indication,
            summary=summary,
            is_synthetic=is_synthetic,
        ),
        by,
    )
    item.save()
    item.key_judgements.set(judgements)
    item.vulnerable_groups.set(VulnerableGroup.objects.filter(slug__in=list(group_slugs)))
    item.service_management_aspects.set(
        ServiceManagementAspect.objects.filter(code__in=list(aspect_codes))
    )
    return item


# The longest file name and title kept: their columns' lengths.
ATTACHMENT_NAME_MAX: int = Attachment._meta.get_field("name").max_length or 200
TITLE_MAX: int = EvidenceItem._meta.get_field("title").max_length or 300


@transaction.atomic
def attachment_add(
    *, item: EvidenceItem, name: str, content: IO[bytes], by: Any = None
) -> Attachment:
    """Store a file behind an evidence item: a new revision if the name is already there (the
    earlier ones are kept), with its SHA-256. The file is written to storage only once the row
    commits (accounts/uploads.py); a refused upload leaves nothing behind."""
    name = Path(name.replace("\\", "/")).name.strip()
    if not name:
        raise EvidenceRefused("The file has no name.")
    sha, size = sha256_of(content)
    try:
        upload_check(name=name, size=size, max_name_chars=ATTACHMENT_NAME_MAX)
    except UploadRefused as exc:
        raise EvidenceRefused(str(exc)) from None
    last = Attachment.objects.filter(item=item, name=name).aggregate(r=Max("revision"))["r"] or 0
    attachment = Attachment(
        item=item,
        name=name,
        revision=last + 1,
        sha256=sha,
        size=size,
        uploaded_by=by,
        file=stored_name("evidence", sha),
    )
    attachment.save()
    store_on_commit(record=attachment, field="file", content=content)
    return attachment


# -- requests to the area -----------------------------------------------------------------

# How long something the area supplied still counts as supplied (it is not asked for again).
ALREADY_SUPPLIED_YEARS = 3


@transaction.atomic
def request_make(
    *, review: Review, kind: str, what: str, due_on: date, by: Any = None
) -> EvidenceRequest:
    """Ask the area for documents or data by a date; refused if the area already supplied that
    kind of evidence (for this review, or recently for its APA or an earlier review)."""
    since = date(review.analysis_starts_on.year - ALREADY_SUPPLIED_YEARS, 1, 1)
    supplied = EvidenceItem.objects.filter(
        review__area=review.area, kind=kind, origin__in=[Origin.AREA, Origin.APA], dated__gte=since
    ).first()
    if supplied is not None:
        raise EvidenceRefused(
            f"The area already supplied this: {supplied.title} ({supplied.dated:%-d %B %Y}). "
            "Use that instead of asking again."
        )
    if EvidenceRequest.objects.filter(review=review, kind=kind).exists():
        raise EvidenceRefused("This review has already asked the area for that.")
    request = EvidenceRequest(review=review, kind=kind, what=what, due_on=due_on, requested_by=by)
    _stamp(request, by).save()
    return request


@transaction.atomic
def request_supply(
    *,
    request: EvidenceRequest,
    title: str,
    summary: str,
    dated: date,
    content: IO[bytes] | None = None,
    filename: str = "",
    by: Any = None,
) -> EvidenceItem:
    """The area supplies what was asked: it becomes an evidence item (with the file)."""
    if request.status != RequestStatus.REQUESTED:
        raise EvidenceRefused("This request has already been answered.")
    if not title.strip() or len(title) > TITLE_MAX:
        raise EvidenceRefused(f"Give a title of 1 to {TITLE_MAX} characters.")
    item = _stamp(
        EvidenceItem(
            review=request.review,
            kind=request.kind,
            title=title,
            summary=summary,
            dated=dated,
            source=str(getattr(by, "organisation", "") or "The area"),
            author=by,
            origin=Origin.AREA,
            origin_key=f"request:{request.pk}",
        ),
        by,
    )
    item.save()
    if content is not None:
        attachment_add(item=item, name=filename or "document", content=content, by=by)
    record_update(
        record=request,
        seen_version=request.version,
        changes={"status": RequestStatus.SUPPLIED, "supplied_item": item},
        by=by,
    )
    return item


def request_accept(*, request: EvidenceRequest, by: Any = None) -> EvidenceRequest:
    if request.status != RequestStatus.SUPPLIED:
        raise EvidenceRefused("Only something supplied can be accepted.")
    return record_update(
        record=request,
        seen_version=request.version,
        changes={"status": RequestStatus.ACCEPTED},
        by=by,
    )


# -- case files ---------------------------------------------------------------------------


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


# -- neighbourhoods and tracked children --------------------------------------------------

LSOA_FILE = Path(__file__).resolve().parent / "data" / "iod2019_lsoa.csv"


@functools.cache
def lsoa_rows() -> tuple[dict[str, str], ...]:
    """Every LSOA of the 2019 Indices of Deprivation, read once per process (the file never
    changes while the product runs)."""
    with LSOA_FILE.open(encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def neighbourhoods_of(area: Area) -> list[dict[str, Any]]:
    """The area's neighbourhoods (LSOAs) with their 2019 deprivation, most deprived first."""
    rows: list[dict[str, Any]] = [
        dict(r) for r in lsoa_rows() if r["csa_2024_gss_code"] == area.gss_code
    ]
    for r in rows:
        for k in (
            "imd_rank",
            "imd_decile",
            "income_decile",
            "education_decile",
            "health_decile",
            "crime_decile",
            "living_env_decile",
            "population_mid2015",
            "children_0_15_mid2015",
        ):
            r[k] = int(r[k]) if r[k].isdigit() else 0
    return sorted(rows, key=lambda r: r["imd_rank"])


def neighbourhoods_suggest(*, area: Area, count: int) -> list[dict[str, Any]]:
    """The most deprived neighbourhoods with the most children, and one less deprived for
    contrast (the 2004 proposals: studies of particular neighbourhoods)."""
    rows = neighbourhoods_of(area)
    if not rows:
        return []
    deprived = sorted(
        [r for r in rows if r["imd_decile"] <= 2] or rows[: max(count, 1)],
        key=lambda r: (-r["children_0_15_mid2015"], r["imd_rank"]),
    )
    chosen = [
        dict(r, why="Among the most deprived 20% in England, with many children")
        for r in deprived[: max(count - 1, 1)]
    ]
    if count > 1 and len(rows) > 1:
        contrast = rows[-1]
        chosen.append(dict(contrast, why="Among the least deprived in the area, for contrast"))
    return chosen


@transaction.atomic
def neighbourhood_study_add(
    *, review: Review, lsoa_code: str, why_chosen: str, by: Any = None
) -> NeighbourhoodStudy:
    row = next((r for r in neighbourhoods_of(review.area) if r["lsoa11cd"] == lsoa_code), None)
    if row is None:
        raise EvidenceRefused(f"{lsoa_code} is not a neighbourhood of {review.area.name}.")
    study, _ = NeighbourhoodStudy.objects.get_or_create(
        review=review,
        lsoa_code=lsoa_code,
        defaults={
            "name": row["lsoa11nm"],
            "imd_decile": row["imd_decile"],
            "why_chosen": why_chosen,
        },
    )
    return study


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
