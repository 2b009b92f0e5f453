"""Writes of the evidence base: pulling existing evidence in, recording evidence and its
attachments, requests to the area, case files (sampling, screened notes), neighbourhood studies
and tracked children."""

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import Max, QuerySet

from ecm_inspect.accounts.uploads import (
    UploadRefused,
    sha256_of,
    store_on_commit,
    stored_name,
    upload_check,
)
from ecm_inspect.core.concurrency import record_update
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import KeyJudgement, ServiceManagementAspect, VulnerableGroup
from ecm_inspect.reviews.models import Review

from .models import (
    Attachment,
    EvidenceItem,
    EvidenceKind,
    EvidenceRequest,
    Indication,
    Origin,
    RequestStatus,
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
    """Record an evidence item. Its summary is screened for personal data first; every key
    judgement, vulnerable group and aspect named must exist (none is dropped unsaid)."""
    if kind not in EvidenceKind.values:
        raise EvidenceRefused(f"No kind of evidence {kind!r}.")
    if grade is not None and grade not in Grade.values:
        raise EvidenceRefused("A grade is 1 (inadequate) to 4 (outstanding).")
    if indication not in Indication.values:
        raise EvidenceRefused(f"No indication {indication!r}: {', '.join(Indication.values)}.")
    if not title.strip() or len(title) > TITLE_MAX:
        raise EvidenceRefused(f"Give a title of 1 to {TITLE_MAX} characters.")
    findings = screen(f"{title}\n{summary}")
    if findings and not confirm_no_personal_data:
        raise PersonalDataFound(findings)
    judgements = rows_named(
        KeyJudgement.objects.filter(version__code=review.framework_code),
        "code", key_judgement_codes, "key judgement",
    )  # fmt: skip
    groups = rows_named(VulnerableGroup.objects.all(), "slug", group_slugs, "vulnerable group")
    aspects = rows_named(
        ServiceManagementAspect.objects.all(), "code", aspect_codes, "service management aspect"
    )
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
    item.vulnerable_groups.set(groups)
    item.service_management_aspects.set(aspects)
    return item


def rows_named(rows: QuerySet[Any], field: str, wanted: Iterable[str], what: str) -> list[Any]:
    """The rows whose `field` is each of `wanted`; refused, naming them, if any is not there."""
    keys = list(wanted)
    found = list(rows.filter(**{f"{field}__in": keys}))
    unknown = sorted(set(keys) - {getattr(r, field) for r in found})
    if unknown:
        raise EvidenceRefused(f"No such {what}: {', '.join(unknown)}.")
    return found


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
    if kind not in EvidenceKind.values:
        raise EvidenceRefused(f"No kind of evidence {kind!r}.")
    if not what.strip():
        raise EvidenceRefused("Say what the area is asked for.")
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
