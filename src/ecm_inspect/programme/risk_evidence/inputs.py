"""What each area's risk is read from, as known at the end of a year (the package's docstring
says what is read when)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch

from ecm_inspect.performance.models import (
    AreaInspection,
    AreaInspectionJudgement,
    AreaJudgement,
    AssessmentJudgement,
    CriticalIncident,
    IndicatorValue,
    JudgementKind,
    Polarity,
)
from ecm_inspect.provision.selectors import burden_ledger
from ecm_inspect.registry.models import Area, Provider, StatisticalNeighbour
from ecm_inspect.reviews.models import MilestoneKind, Review

from ..models import CpaCategory
from ..risk import (
    INCIDENT_YEARS,
    OUTCOME_GROUPS,
    WORSE_BY,
    RiskInputs,
)

DEPRIVATION = "ChildLowIncome"
# An indicator "worse than a year before" when it moved this much the wrong way.
WORSENED_BY = 0.05
# Indicators compared with the statistical neighbours only where this many have a value.
NEIGHBOURS_NEEDED = 3
GRADE_WORDS = {4: "outstanding", 3: "good", 2: "adequate or requires improvement", 1: "inadequate"}
OVERALL_JUDGEMENTS = (AreaJudgement.OVERALL, AreaJudgement.LOWEST)
# A previous inspection older than this counts as this old: the model is fitted on ages up to
# about this, and says nothing about older ones.
AGE_CAP_YEARS = 10.0


def cpa_stars(*, area: Area, year: int) -> tuple[int | None, str]:
    """The council's CPA category for the year: the latest recorded up to it, else none (the
    APA is a part of its own: it is not read again as the CPA, so it counts once)."""
    recorded = CpaCategory.objects.filter(area=area, year__lte=year).order_by("-year").first()
    if recorded is not None:
        return recorded.stars, f"recorded for {recorded.year}"
    return None, ""


def _apa_overall(area_ids: set[int] | None, year: int) -> dict[int, tuple[int, int]]:
    qs = AssessmentJudgement.objects.filter(
        kind=JudgementKind.OVERALL, assessment__year__lte=year
    ).select_related("assessment")
    if area_ids is not None:
        qs = qs.filter(assessment__area_id__in=area_ids)
    out: dict[int, tuple[int, int]] = {}
    for j in qs.order_by("assessment__year"):
        if j.grade is not None:
            out[j.assessment.area_id] = (j.grade, j.assessment.year)
    return out


Latest = dict[tuple[int | None, int], tuple[int, float, str, str]]


def _latest_values(year: int, first: int) -> Latest:
    """The latest value of each graded indicator of health, care, education and crime per area
    (None: England) from `first` to `year`: (year, value, outcome, polarity)."""
    values = IndicatorValue.objects.filter(
        year__range=(first, year), indicator__outcome__in=list(OUTCOME_GROUPS)
    ).exclude(indicator__polarity=Polarity.NEITHER)
    latest: dict[tuple[int | None, int], tuple[int, float, str, str]] = {}
    for area_id, ind, y, value, outcome, polarity in values.values_list(
        "area_id", "indicator_id", "year", "value", "indicator__outcome", "indicator__polarity"
    ):
        key = (area_id, ind)
        if key not in latest or latest[key][0] < y:
            latest[key] = (y, value, outcome, polarity)
    return latest


def _worse(value: float, reference: float, polarity: str, by: float) -> bool | None:
    if reference == 0:
        return None
    ratio = (value - reference) / abs(reference)
    return ratio < -by if polarity == Polarity.HIGHER else ratio > by


def _weak_shares(latest: Latest, year: int) -> dict[int, dict[str, float | None]]:
    """Per area and outcome group: the share of graded indicators more than WORSE_BY worse
    than England, on the latest value of each indicator from `year` - 2 to `year`."""
    latest = {k: v for k, v in latest.items() if v[0] >= year - 2}
    counts: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (where, ind), (_, value, outcome, polarity) in latest.items():
        england = latest.get((None, ind))
        if where is None or england is None:
            continue
        worse = _worse(value, england[1], polarity, WORSE_BY)
        if worse is None:
            continue
        counts[where][outcome][0] += int(worse)
        counts[where][outcome][1] += 1
    return {
        area_id: {g: (c[g][0] / c[g][1] if c[g][1] else None) for g in OUTCOME_GROUPS}
        for area_id, c in counts.items()
    }


@dataclass(frozen=True)
class IndicatorSignals:
    """An area's indicators against its statistical neighbours, and their trend."""

    worse_share: float | None
    compared: int
    worsening_share: float | None
    followed: int


def _indicator_signals(latest: Latest, year: int) -> dict[int, IndicatorSignals]:
    """Per area: the share of its graded indicators (latest from `year` - 2 to `year`) more
    than WORSE_BY worse than the mean of its statistical neighbours' values of the same year,
    and the share more than WORSENED_BY worse than its own value a year before."""
    by_year: dict[tuple[int | None, int, int], float] = {}
    for (where, ind), (y, value, _, _) in latest.items():
        by_year[(where, ind, y)] = value
    # The values a year before the latest are needed too (for the trend): read them apart.
    earlier = IndicatorValue.objects.filter(
        year__range=(year - 3, year - 1), indicator__outcome__in=list(OUTCOME_GROUPS)
    ).exclude(indicator__polarity=Polarity.NEITHER)
    for area_id, ind, y, value in earlier.values_list("area_id", "indicator_id", "year", "value"):
        by_year.setdefault((area_id, ind, y), value)
    neighbours: dict[int, list[int]] = defaultdict(list)
    for a, n in StatisticalNeighbour.objects.values_list("area_id", "neighbour_id"):
        neighbours[a].append(n)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (where, ind), (y, value, _, polarity) in latest.items():
        if where is None or y < year - 2:
            continue
        theirs = [by_year[(n, ind, y)] for n in neighbours[where] if (n, ind, y) in by_year]
        if len(theirs) >= NEIGHBOURS_NEEDED:
            worse = _worse(value, statistics.fmean(theirs), polarity, WORSE_BY)
            if worse is not None:
                counts[where][0] += int(worse)
                counts[where][1] += 1
        before = by_year.get((where, ind, y - 1))
        if before is not None:
            worsened = _worse(value, before, polarity, WORSENED_BY)
            if worsened is not None:
                counts[where][2] += int(worsened)
                counts[where][3] += 1
    return {
        a: IndicatorSignals(
            worse_share=c[0] / c[1] if c[1] else None,
            compared=c[1],
            worsening_share=c[2] / c[3] if c[3] else None,
            followed=c[3],
        )
        for a, c in counts.items()
    }


def _deprivation(year: int) -> dict[int, tuple[float, str]]:
    """Child low income per area, the latest published by the end of `year` (DWP publishes a
    financial year the March after it ends, so values of `year` - 1 and before)."""
    out: dict[int, tuple[float, str]] = {}
    for area_id, value, period in (
        IndicatorValue.objects.filter(
            indicator__code=DEPRIVATION, area__isnull=False, year__lte=year - 1
        )
        .order_by("year")
        .values_list("area_id", "value", "period")
    ):
        out[area_id] = (value, period)
    return out


def _with_overall() -> Prefetch:
    """An inspection's judgements narrowed to its graded overall one (`AreaInspection.overall`)."""
    return Prefetch(
        "judgements",
        queryset=AreaInspectionJudgement.objects.filter(
            judgement__in=OVERALL_JUDGEMENTS, grade__isnull=False
        ),
    )


def _previous_inspections(as_of: date) -> dict[int, AreaInspection]:
    """Each area's latest earlier inspection with an overall grade, published by `as_of`."""
    out: dict[int, AreaInspection] = {}
    for inspection in (
        AreaInspection.objects.filter(published_on__lte=as_of)
        .order_by("published_on")
        .prefetch_related(_with_overall())
    ):
        if inspection.overall is not None:
            out[inspection.area_id] = inspection
    return out


def _last_reviews(ids: set[int], as_of: date) -> dict[int, date]:
    last: dict[int, date] = {}
    for area_id, planned, actual in Review.objects.filter(
        area_id__in=ids, milestones__kind=MilestoneKind.FIELDWORK_END
    ).values_list("area_id", "milestones__planned", "milestones__actual"):
        day = actual or planned
        if day <= as_of and (area_id not in last or last[area_id] < day):
            last[area_id] = day
    return last


def _burden(areas: list[Area], as_of: date) -> dict[int, int]:
    ids = {a.pk for a in areas}
    with_providers = set(Provider.objects.filter(area_id__in=ids).values_list("area_id", flat=True))
    return {
        area.pk: (
            len(burden_ledger(providers=Provider.objects.filter(area=area), today=as_of).past)
            if area.pk in with_providers
            else 0
        )
        for area in areas
    }


def _features(
    *,
    year: int,
    area: Area,
    previous: AreaInspection | None,
    signals: IndicatorSignals | None,
    deprivation: tuple[float, str] | None,
    apa: tuple[int, int] | None,
    cpa: CpaCategory | None,
    incidents: int,
    reviewed: date | None,
) -> tuple[dict[str, float | None], dict[str, str]]:
    """The model's inputs for one area at the end of `year`, each with what it is in words."""
    as_of = date(year, 12, 31)
    values: dict[str, float | None] = {}
    said: dict[str, str] = {}
    if previous is not None and previous.overall is not None:
        age = (as_of - previous.published_on).days / 365.25
        values["previous"] = (4 - previous.overall) / 3
        values["previous_age"] = min(age, AGE_CAP_YEARS)
        when = f"{previous.published_on:%B %Y}" + (
            " (month estimated)" if previous.published_estimated else ""
        )
        said["previous"] = (
            f"{previous.get_kind_display()} {previous.year}, published {when}: overall "
            f"{GRADE_WORDS[previous.overall]}"
        )
        said["previous_age"] = f"{age:.1f} years before the end of {year}" + (
            f" (counted as {AGE_CAP_YEARS:g})" if age > AGE_CAP_YEARS else ""
        )
    else:
        values["previous"] = values["previous_age"] = None
        said["previous"] = said["previous_age"] = "no previous inspection published"
    if signals is not None and signals.worse_share is not None:
        values["outcomes"] = signals.worse_share
        said["outcomes"] = (
            f"{signals.worse_share:.0%} of {signals.compared} indicators of health, care, "
            f"education and crime more than {WORSE_BY:.0%} worse than the statistical neighbours"
        )
    else:
        values["outcomes"] = None
        said["outcomes"] = "no indicators to compare with the statistical neighbours"
    if signals is not None and signals.worsening_share is not None:
        values["trend"] = signals.worsening_share
        said["trend"] = (
            f"{signals.worsening_share:.0%} of {signals.followed} indicators more than "
            f"{WORSENED_BY:.0%} worse than a year before"
        )
    else:
        values["trend"] = None
        said["trend"] = "no indicator has two years to compare"
    if deprivation is not None:
        values["deprivation"] = deprivation[0]
        said["deprivation"] = (
            f"{deprivation[0]:.1f} children in relative low income per 100 ({deprivation[1]})"
        )
    else:
        values["deprivation"] = None
        said["deprivation"] = f"no child low income figure published by the end of {year}"
    if apa is not None:
        values["apa"] = (4 - apa[0]) / 3
        said["apa"] = f"APA {apa[1]} overall grade {apa[0]}"
    else:
        values["apa"] = None
        said["apa"] = "no APA overall grade"
    if cpa is not None:
        values["cpa"] = (4 - cpa.stars) / 4
        said["cpa"] = f"CPA {cpa.stars} stars (recorded for {cpa.year})"
    else:
        values["cpa"] = None
        said["cpa"] = "no CPA category recorded"
    values["incidents"] = float(incidents)
    said["incidents"] = f"{incidents} critical incidents in the {INCIDENT_YEARS} years before"
    if reviewed is not None:
        values["since_review"] = (as_of - reviewed).days / 365.25
        said["since_review"] = f"last review's fieldwork {values['since_review']:.1f} years before"
    else:
        values["since_review"] = None
        said["since_review"] = "never reviewed"
    return values, said


def risk_inputs(
    *, year: int, areas: list[Area] | None = None, model_only: bool = False
) -> dict[str, RiskInputs]:
    """What the risk reads, for every current area (or those given), as at the end of
    `year`; `model_only` reads only the model's inputs (not the stated rule's England shares
    and inspection burden)."""
    areas = areas if areas is not None else list(Area.objects.current())
    as_of = date(year, 12, 31)
    ids = {a.pk for a in areas}
    latest = _latest_values(year, year - 3)  # read once for both
    weak = {} if model_only else _weak_shares(latest, year)
    signals = _indicator_signals(latest, year)
    deprivation = _deprivation(year)
    previous = _previous_inspections(as_of)
    apa = _apa_overall(ids, year)
    recorded_cpa = {
        c.area_id: c
        for c in CpaCategory.objects.filter(area_id__in=ids, year__lte=year).order_by("year")
    }
    incidents: dict[int, int] = defaultdict(int)
    for area_id in CriticalIncident.objects.filter(
        area_id__in=ids,
        occurred_on__gt=as_of - timedelta(days=365 * INCIDENT_YEARS),
        occurred_on__lte=as_of,
    ).values_list("area_id", flat=True):
        incidents[area_id] += 1
    last_review = _last_reviews(ids, as_of)
    burden = {a.pk: 0 for a in areas} if model_only else _burden(areas, as_of)
    median = statistics.median(burden.values()) if burden else 0.0
    out = {}
    for area in areas:
        cpa = recorded_cpa.get(area.pk)
        reviewed = last_review.get(area.pk)
        values, said = _features(
            year=year, area=area, previous=previous.get(area.pk), signals=signals.get(area.pk),
            deprivation=deprivation.get(area.pk), apa=apa.get(area.pk), cpa=cpa,
            incidents=incidents[area.pk], reviewed=reviewed,
        )  # fmt: skip
        out[area.gss_code] = RiskInputs(
            weak_share=weak.get(area.pk, {}),
            apa_overall=apa[area.pk][0] if area.pk in apa else None,
            apa_year=apa[area.pk][1] if area.pk in apa else None,
            cpa_stars=cpa.stars if cpa is not None else None,
            cpa_source=f"recorded for {cpa.year}" if cpa is not None else "",
            years_since_review=(as_of - reviewed).days / 365.25 if reviewed else None,
            incidents=incidents[area.pk],
            recent_inspections=burden[area.pk],
            national_median_inspections=float(median),
            features=values,
            described=said,
        )
    return out
