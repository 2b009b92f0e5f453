"""Each area's corporate assessments, and its reviews and inspections side by side."""

from __future__ import annotations

from datetime import date
from typing import Any

from ecm_inspect.performance.models import AreaInspection
from ecm_inspect.registry.models import Area
from ecm_inspect.reviews.models import MilestoneKind, Review

from ..models import CorporateAssessment, CpaCategory
from ..risk_evidence import GRADE_WORDS


def corporate_assessments_in_force(area_ids: set[int]) -> dict[int, CorporateAssessment]:
    """Each area's corporate assessment the programme is sequenced against: a recorded one
    before a synthetic one, else the latest."""
    out: dict[int, CorporateAssessment] = {}
    for ca in CorporateAssessment.objects.filter(area_id__in=area_ids).order_by(
        "-is_synthetic", "starts_on"
    ):
        out[ca.area_id] = ca
    return out


def area_side_by_side(area: Area) -> dict[str, Any]:
    """One area's joint area reviews and corporate assessments in date order (the review by
    its analysis week to the end of its fieldwork), and its CPA categories."""
    events: list[dict[str, Any]] = []
    for review in Review.objects.filter(area=area).prefetch_related("milestones"):
        ends = [
            m.actual or m.planned
            for m in review.milestones.all()
            if m.kind == MilestoneKind.FIELDWORK_END
        ]
        events.append(
            {
                "kind": "Joint area review",
                "starts_on": review.analysis_starts_on,
                "ends_on": ends[0] if ends else None,
                "detail": review.get_stage_display(),
                "synthetic": review.is_synthetic,
            }
        )
    for ca in CorporateAssessment.objects.filter(area=area).prefetch_related("shared_team_members"):
        shared = ", ".join(i.full_name for i in ca.shared_team_members.all())
        events.append(
            {
                "kind": "Corporate assessment",
                "starts_on": ca.starts_on,
                "ends_on": ca.ends_on,
                "detail": ca.get_option_display() + (f"; shared: {shared}" if shared else ""),
                "synthetic": ca.is_synthetic,
            }
        )
    inspections = list(
        AreaInspection.objects.filter(area=area)
        .prefetch_related("judgements")
        .order_by("-published_on")
    )
    for inspection in inspections:
        overall = inspection.overall
        events.append(
            {
                "kind": inspection.get_kind_display(),
                "starts_on": inspection.starts_on or date(inspection.year, 1, 1),
                "ends_on": inspection.ends_on,
                "detail": (
                    f"Overall {GRADE_WORDS[overall]}" if overall is not None else "No overall grade"
                )
                + f"; published {inspection.published_on:%-d %B %Y}"
                + (" (estimated)" if inspection.published_estimated else ""),
                "synthetic": False,
            }
        )
    events.sort(key=lambda e: (e["starts_on"] is None, e["starts_on"] or date.min))
    return {
        "events": events,
        "categories": list(CpaCategory.objects.filter(area=area).order_by("-year")),
        "inspections": inspections,
    }
