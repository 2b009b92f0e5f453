"""The self-assessment: the council and its partners state their strengths and weaknesses for
each outcome and for service management, with the documents behind them, and submit it."""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.accounts.uploads import (
    UploadRefused,
    sha256_of,
    store_on_commit,
    stored_name,
    upload_check,
)
from ecm_inspect.core.concurrency import record_update
from ecm_inspect.registry.models import Area

from .models import (
    OUTCOME_CODES,
    SERVICE_MANAGEMENT,
    CouncilDocument,
    CouncilDocumentKind,
    SelfAssessment,
    SelfAssessmentPart,
    SelfAssessmentStatus,
    SubmittedSelfAssessment,
)
from .selectors import apa_years_open
from .services import AssessmentRefused

Progress = Callable[[int, int], None]


def self_assessment_for(*, area: Area, year: int) -> SelfAssessment:
    """The area's self-assessment for the year, created for the first part written. Only for a
    year an APA can be for (`selectors.apa_years_open`)."""
    if year not in apa_years_open():
        raise AssessmentRefused(f"No annual performance assessment for {year}.")
    found, _ = SelfAssessment.objects.get_or_create(area=area, year=year)
    return found


@transaction.atomic
def self_assessment_part_write(
    *,
    self_assessment: SelfAssessment,
    section: str,
    organisation: str,
    strengths: str,
    weaknesses: str,
    impact_evidence: str = "",
    resources: str = "",
    self_grade: int | None = None,
    seen_version: int | None = None,
    by: Any = None,
) -> SelfAssessmentPart:
    """Write one organisation's part of one section. A submitted self-assessment goes back to
    draft (the submitted version is kept)."""
    if section not in (*OUTCOME_CODES, SERVICE_MANAGEMENT):
        raise AssessmentRefused(f"No section {section!r}: one of BH, SS, EA, PC, EW, SM.")
    if self_grade is not None and self_grade not in (1, 2, 3, 4):
        raise AssessmentRefused("A self-assessed grade is 1 (inadequate) to 4 (outstanding).")
    part = SelfAssessmentPart.objects.filter(
        self_assessment=self_assessment, section=section, author_organisation=organisation
    ).first()
    fields = {
        "strengths": strengths,
        "weaknesses": weaknesses,
        "impact_evidence": impact_evidence,
        "resources": resources,
        "self_grade": self_grade,
        "author": by,
    }
    if part is None:
        part = SelfAssessmentPart(
            self_assessment=self_assessment, section=section, author_organisation=organisation,
            **fields,
        )  # fmt: skip
        part._history_user = by  # type: ignore[attr-defined]
        part.save()
    else:
        part = record_update(
            record=part,
            seen_version=seen_version if seen_version is not None else part.version,
            changes=fields,
            by=by,
        )
    if self_assessment.status == SelfAssessmentStatus.SUBMITTED:
        self_assessment.status = SelfAssessmentStatus.DRAFT
        self_assessment._history_user = by  # type: ignore[attr-defined]
        self_assessment.save(update_fields=["status"])
    return part


@transaction.atomic
def council_document_add(
    *,
    self_assessment: SelfAssessment,
    kind: str,
    title: str,
    content: Any,
    name: str,
    by: Any = None,
) -> CouncilDocument:
    """Attach the council's analysis of user views, or one of its plans, to the
    self-assessment, with the file's SHA-256. The file is written to storage only once the row
    commits (accounts/uploads.py); a refused upload leaves nothing behind."""
    if kind not in CouncilDocumentKind.values:
        raise AssessmentRefused("A document is the analysis of user views or a plan.")
    if self_assessment.documents.count() >= MAX_COUNCIL_DOCUMENTS:
        raise AssessmentRefused(
            f"A small number of documents only: at most {MAX_COUNCIL_DOCUMENTS}."
        )
    name = name.strip() or "document"
    sha, size = sha256_of(content)
    try:
        upload_check(name=name, size=size, max_name_chars=DOCUMENT_NAME_MAX)
    except UploadRefused as exc:
        raise AssessmentRefused(str(exc)) from None
    title = title.strip() or name
    if len(title) > DOCUMENT_TITLE_MAX:
        raise AssessmentRefused(f"Give a title of at most {DOCUMENT_TITLE_MAX} characters.")
    document = CouncilDocument(
        self_assessment=self_assessment,
        kind=kind,
        title=title,
        sha256=sha,
        uploaded_by=by,
        file=stored_name("council-documents", sha),
    )
    document._history_user = by  # type: ignore[attr-defined]
    document.save()
    store_on_commit(record=document, field="file", content=content)
    return document


# The longest title kept (its column) and file name taken (it becomes the title if none).
DOCUMENT_TITLE_MAX: int = CouncilDocument._meta.get_field("title").max_length or 300
DOCUMENT_NAME_MAX = 200
# The proposals ask for "a small number of plans" beside the analysis of user views.
MAX_COUNCIL_DOCUMENTS = 6


@transaction.atomic
def self_assessment_submit(*, self_assessment: SelfAssessment, by: Any) -> SubmittedSelfAssessment:
    """The DCS submits the assembled self-assessment; the version sent is kept as it was."""
    parts = (
        list(self_assessment.parts.order_by("section", "author_organisation"))
        if self_assessment.pk
        else []
    )
    if not parts:
        raise AssessmentRefused("There is nothing to submit: no section has been written.")
    number = self_assessment.submissions.count() + 1
    content = {
        "area": self_assessment.area.gss_code,
        "year": self_assessment.year,
        "cooperation": self_assessment.cooperation,
        "parts": [
            {
                "section": p.section,
                "organisation": p.author_organisation,
                "strengths": p.strengths,
                "weaknesses": p.weaknesses,
                "impact_evidence": p.impact_evidence,
                "resources": p.resources,
                "self_grade": p.self_grade,
            }
            for p in parts
        ],
    }
    submission = SubmittedSelfAssessment.objects.create(
        self_assessment=self_assessment, number=number, content=content, submitted_by=by
    )
    self_assessment.status = SelfAssessmentStatus.SUBMITTED
    self_assessment.submitted_at, self_assessment.submitted_by = timezone.now(), by
    self_assessment.version += 1
    self_assessment._history_user = by  # type: ignore[attr-defined]
    self_assessment.save()
    return submission
