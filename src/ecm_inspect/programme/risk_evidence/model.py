"""The risk model fitted on earlier inspection outcomes (each with what was known of its area
the year before), kept in the cache while its records are unchanged, and every area's risk
scored with it."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max

from ecm_inspect.performance.models import (
    AreaInspection,
    AreaInspectionJudgement,
    AssessmentJudgement,
    CriticalIncident,
    IndicatorValue,
)
from ecm_inspect.registry.models import StatisticalNeighbour
from ecm_inspect.reviews.models import Milestone

from ..models import CpaCategory
from ..risk import (
    DEFAULT_SEED,
    RiskInputs,
    RiskModel,
    RiskScore,
    fitted_risk_score,
    risk_model_fit,
    risk_score,
)
from .inputs import _with_overall, risk_inputs

MODEL_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class RiskOutcome:
    """An earlier inspection outcome: what was known of its area the year before, and whether
    it was found wanting (an overall grade of 2 or 1 on the Framework's scale)."""

    inspection: AreaInspection
    inputs: RiskInputs
    wanting: bool


def risk_outcomes(
    *, published_by: date | None = None, after_year: int | None = None
) -> list[RiskOutcome]:
    """Earlier inspection outcomes with an overall grade: those published by `published_by`
    (training), or those of inspections after `after_year` (a back-test), each with its
    area's inputs at the end of the year before it took place. Outcomes of years with no
    indicators in the three years before are left out (nothing could be trained on)."""
    qs = AreaInspection.objects.select_related("area").prefetch_related(_with_overall())
    if published_by is not None:
        qs = qs.filter(published_on__lte=published_by)
    if after_year is not None:
        qs = qs.filter(year__gt=after_year)
    by_year: dict[int, list[AreaInspection]] = defaultdict(list)
    for inspection in qs.order_by("year", "area__gss_code"):
        if inspection.overall is not None:
            by_year[inspection.year].append(inspection)
    out = []
    for year, inspections in sorted(by_year.items()):
        if not IndicatorValue.objects.filter(year__range=(year - 3, year - 1)).exists():
            continue  # no indicators then: nothing to train on (risk.REQUIRED_KNOWN)
        areas = [i.area for i in inspections]
        inputs = risk_inputs(year=year - 1, areas=areas, model_only=True)
        for i in inspections:
            grade = i.overall
            assert grade is not None  # noqa: S101 (filtered above)
            out.append(RiskOutcome(i, inputs[i.area.gss_code], grade <= 2))
    return out


def _records_fingerprint() -> str:
    """What the model is fitted from, in a few numbers: the newest record (or audit-trail row,
    which every change adds) and the count of each source; any change makes a new one."""
    sources: list[Any] = [
        AreaInspectionJudgement.objects, StatisticalNeighbour.objects,
        IndicatorValue.history, AssessmentJudgement.history, CpaCategory.history,
        CriticalIncident.history, Milestone.history,
    ]  # fmt: skip
    numbers = []
    for manager in sources:
        found = manager.aggregate(n=Count("pk"), last=Max("pk"))
        numbers.append(f"{found['n']}.{found['last']}")
    return "-".join(numbers)


def risk_model(
    *, year: int, seed: int = DEFAULT_SEED, only: tuple[str, ...] | None = None
) -> RiskModel:
    """The model for scoring `year`: fitted on the outcomes published by its end. Kept in the
    cache while the records it is fitted from are unchanged (a fit reads several years)."""
    fitted_from = f"{year}:{seed}:{only}:{_records_fingerprint()}"
    key = "programme:risk-model:" + hashlib.sha256(fitted_from.encode()).hexdigest()
    found = cache.get(key)
    if isinstance(found, RiskModel):
        return found
    training = [
        (o.inputs.features, o.wanting) for o in risk_outcomes(published_by=date(year, 12, 31))
    ]
    model = risk_model_fit(training, year=year, seed=seed, only=only)
    cache.set(key, model, timeout=MODEL_CACHE_SECONDS)
    return model


def area_risks(*, year: int, model: RiskModel | None = None) -> dict[str, RiskScore]:
    """Every current area's risk score with its parts, by GSS code: the fitted chance where a
    model could be fitted on outcomes published by the end of `year`, else the stated
    points."""
    model = model if model is not None else risk_model(year=year)
    inputs = sorted(risk_inputs(year=year).items())
    if model.fitted:
        return {gss: fitted_risk_score(model, i) for gss, i in inputs}
    return {gss: risk_score(i) for gss, i in inputs}
