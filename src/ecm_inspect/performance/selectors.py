"""Reads of the annual performance assessment, each asking the policy."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ecm_inspect.registry.models import Area

from .models import (
    Assessment,
    AssessmentJudgement,
    IndicatorDefinition,
    IndicatorValue,
    InterventionAlert,
    JudgementKind,
    SelfAssessment,
)
from .proposals import OUTCOME_TITLES

ORDER = [k.value for k in JudgementKind]
# The real national spread of APA overall grades in 2005 (REFERENCE: 8% / 67% / 24% / 1% for
# grades 4..1), for comparing the proposals with.
REAL_2005_OVERALL = {4: 8, 3: 67, 2: 24, 1: 1}


# The first APA was in 2005 (the 2004 proposals, section 4; "the 2005 APA" of DESIGN.md). A
# council may begin its self-assessment for next year's APA, never one further ahead.
FIRST_APA_YEAR = 2005


def apa_years_open(*, today: date | None = None) -> range:
    """The years an APA (and so a self-assessment) can be for: 2005 to next year."""
    return range(FIRST_APA_YEAR, (today or timezone.localdate()).year + 2)


def self_assessment_get(*, area: Area, year: int) -> SelfAssessment:
    """The area's self-assessment for the year, or a blank one not yet stored (reading never
    creates it; the first part written does). A year no APA can be for is not found."""
    if year not in apa_years_open():
        raise Http404("No annual performance assessment for that year.")
    found = SelfAssessment.objects.filter(area=area, year=year).first()
    return found or SelfAssessment(area=area, year=year)


def assessment_years() -> list[int]:
    return sorted(set(Assessment.objects.values_list("year", flat=True)), reverse=True)


def assessments_for_user(*, user: Any, year: int) -> QuerySet[Assessment]:
    if not user.has_perm("performance.view_assessment_list"):
        raise PermissionDenied
    return (
        Assessment.objects.filter(year=year)
        .select_related("area")
        .prefetch_related("judgements")
        .order_by("area__name")
    )


def assessment_get_for_user(*, user: Any, year: int, gss_code: str) -> Assessment:
    area = Area.objects.filter(gss_code=gss_code).first()
    if area is None:
        raise Http404("No such area.")
    if not user.has_perm("performance.view_assessment", area):
        raise PermissionDenied
    assessment = (
        Assessment.objects.filter(area=area, year=year).prefetch_related("judgements").first()
    )
    if assessment is None:
        raise Http404(f"{area.name} has not been assessed for {year} yet.")
    return assessment


def judgements_in_order(assessment: Assessment) -> list[AssessmentJudgement]:
    found = {j.kind: j for j in assessment.judgements.all()}
    return [found[k] for k in ORDER if k in found]


def overall_spread(assessments: list[Assessment]) -> dict[int | None, int]:
    spread: dict[int | None, int] = {4: 0, 3: 0, 2: 0, 1: 0, None: 0}
    for a in assessments:
        overall = next((j for j in a.judgements.all() if j.kind == "overall"), None)
        spread[overall.grade if overall else None] += 1
    return spread


@dataclass(frozen=True)
class IndicatorRow:
    definition: IndicatorDefinition
    value: float | None
    england: float | None
    previous: float | None


def indicator_rows(*, area: Area, year: int) -> dict[str, list[IndicatorRow]]:
    """The area's indicator values this year beside England's and last year's, by outcome."""
    values = {
        (v.indicator_id, v.area_id, v.year): v.value
        for v in IndicatorValue.objects.filter(year__in=[year, year - 1], area__in=[area]).only(
            "indicator_id", "area_id", "year", "value"
        )
    }
    for v in IndicatorValue.objects.filter(year=year, area__isnull=True).only(
        "indicator_id", "year", "value"
    ):
        values[(v.indicator_id, None, v.year)] = v.value
    out: dict[str, list[IndicatorRow]] = {}
    for d in IndicatorDefinition.objects.order_by("outcome", "code"):
        value = values.get((d.pk, area.pk, year))
        if value is None:
            continue
        out.setdefault(OUTCOME_TITLES.get(d.outcome, d.outcome), []).append(
            IndicatorRow(
                d, value, values.get((d.pk, None, year)), values.get((d.pk, area.pk, year - 1))
            )
        )
    return out


def alerts_for_user(*, user: Any) -> QuerySet[InterventionAlert]:
    if not user.has_perm("performance.view_alerts"):
        return InterventionAlert.objects.none()
    return InterventionAlert.objects.filter(acknowledged_at__isnull=True).select_related("area")
