"""Pulling in the evidence that already exists about an area when its review begins: the latest
APA, performance data, setting inspections pooled per key judgement, earlier joint area reviews
and the council's submitted self-assessment. Each source pulled once and refreshed if it
changed."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.template.defaultfilters import pluralize

from ecm_inspect.framework.models import KeyJudgement, ServiceManagementAspect
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
from ecm_inspect.reviews.models import MilestoneKind, Review, Stage

from .indicators import indicator_position, indicators_indication, neighbours_median
from .models import (
    EvidenceItem,
    EvidenceKind,
    Indication,
    Origin,
)


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
def _apa_grades_pull(
    review: Review, assessment: Assessment, aspects: list[ServiceManagementAspect]
) -> int:
    """Each grade of the area's latest APA: an item per outcome (and service management)."""
    created = 0
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
    return created


def _indicators_pull(
    review: Review, assessment: Assessment, aspects: list[ServiceManagementAspect]
) -> int:
    """The area's indicators of the APA's year, an item per outcome: how many better or worse
    than England and the statistical neighbours."""
    created = 0
    area = review.area
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
    return created


def _setting_inspections_pull(review: Review) -> int:
    """Setting inspections pooled per key judgement."""
    created = 0
    area, start = review.area, review.analysis_starts_on
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
    return created


def _earlier_reviews_pull(review: Review) -> int:
    """The area's earlier joint area reviews, each an item."""
    created = 0
    area, start = review.area, review.analysis_starts_on
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
    return created


def _self_assessment_pull(review: Review, aspects: list[ServiceManagementAspect]) -> int:
    """Each part of the council's latest submitted self-assessment."""
    created = 0
    area, start = review.area, review.analysis_starts_on
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


def evidence_pull(*, review: Review) -> int:
    """Pull in the evidence that already exists about the area: the latest APA (each grade),
    performance data (indicators against England), setting inspections (pooled per key
    judgement), earlier joint area reviews and the council's submitted self-assessment.
    Idempotent: each source is pulled once and refreshed if it changed. Returns how many new."""
    aspects = list(ServiceManagementAspect.objects.all())
    start = review.analysis_starts_on
    assessment = (
        Assessment.objects.filter(area=review.area, year__lte=start.year).order_by("-year").first()
    )
    created = 0
    if assessment is not None:
        created += _apa_grades_pull(review, assessment, aspects)
        created += _indicators_pull(review, assessment, aspects)
    created += _setting_inspections_pull(review)
    created += _earlier_reviews_pull(review)
    created += _self_assessment_pull(review, aspects)
    return created
