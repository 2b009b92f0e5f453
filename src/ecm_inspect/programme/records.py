"""Recording each council's corporate assessment and CPA category (the national lead's): one
check for the page, the API and `ecm import` (the forms in forms.py), then the write. A
recorded corporate assessment replaces the area's synthetic one."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecm_inspect.registry.models import Area, Inspector

from .models import CorporateAssessment, CpaCategory


@transaction.atomic
def corporate_assessment_record(
    *,
    area: Area,
    starts_on: date,
    ends_on: date,
    option: int,
    shared_team_members: list[Inspector],
    by: Any = None,
) -> tuple[CorporateAssessment, bool]:
    """Record the council's corporate assessment (one per area and start date: recording the
    same start again updates it), and remove the area's synthetic one. Returns it and whether
    it was new. Audited."""
    CorporateAssessment.objects.filter(area=area, is_synthetic=True).delete()
    found = CorporateAssessment.objects.filter(area=area, starts_on=starts_on).first()
    created = found is None
    ca = found or CorporateAssessment(area=area, starts_on=starts_on)
    ca.ends_on, ca.option = ends_on, option
    ca.recorded_by, ca.recorded_at = by, timezone.now()
    ca._history_user = by  # type: ignore[attr-defined]
    ca.save()
    ca.shared_team_members.set(shared_team_members)
    return ca, created


@transaction.atomic
def cpa_category_record(
    *,
    area: Area,
    year: int,
    stars: int,
    direction_of_travel: str = "",
    block_scores: dict[str, int] | None = None,
    source: str = "",
    by: Any = None,
) -> tuple[CpaCategory, bool]:
    """Record the council's CPA category for the year (recording the year again replaces it).
    Returns it and whether it was new. Audited."""
    category = CpaCategory.objects.filter(area=area, year=year).first()
    created = category is None
    category = category or CpaCategory(area=area, year=year)
    category.stars = stars
    category.direction_of_travel = direction_of_travel
    category.block_scores = dict(block_scores or {})
    category.source = source
    category.recorded_by = by
    category._history_user = by  # type: ignore[attr-defined]
    category.save()
    return category, created
