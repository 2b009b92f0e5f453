"""What the APA's rule reads, for every area at once: the year's indicators, self-assessment
grades, setting inspections' grades and earlier inspections of the area, and the proposals made
from them."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ecm_inspect.framework.grades import Grade
from ecm_inspect.provision.selectors import areas_pool
from ecm_inspect.registry.models import Area, StatisticalNeighbour

from .models import (
    OUTCOME_CODES,
    SERVICE_MANAGEMENT,
    AreaInspection,
    IndicatorDefinition,
    IndicatorValue,
    SelfAssessmentPart,
    SelfAssessmentStatus,
)
from .proposals import (
    MIN_NEIGHBOURS,
    PREVIOUS_YEARS,
    IndicatorReading,
    PreviousFinding,
    Proposal,
    group_proposal,
)

Progress = Callable[[int, int], None]


@dataclass
class YearData:
    """Every indicator value for a year and the year before, read in one query."""

    definitions: dict[int, IndicatorDefinition]
    values: dict[tuple[int, int | None, int], float]
    neighbours: dict[int, list[int]]

    def reading(
        self, definition: IndicatorDefinition, area_id: int, year: int
    ) -> IndicatorReading | None:
        value = self.values.get((definition.pk, area_id, year))
        if value is None:
            return None
        england = self.values.get((definition.pk, None, year))
        around = [
            v
            for n in self.neighbours.get(area_id, [])
            if (v := self.values.get((definition.pk, n, year))) is not None
        ]
        previous = self.values.get((definition.pk, area_id, year - 1))
        if previous is None:
            previous = self.values.get((definition.pk, area_id, year - 2))
        return IndicatorReading(
            code=definition.code,
            title=definition.title,
            polarity=definition.polarity,
            value=value,
            england=england,
            neighbours=sum(around) / len(around) if len(around) >= MIN_NEIGHBOURS else None,
            previous=previous,
        )


def year_data(year: int) -> YearData:
    definitions = {d.pk: d for d in IndicatorDefinition.objects.all()}
    values: dict[tuple[int, int | None, int], float] = {}
    rows = IndicatorValue.objects.filter(year__gte=year - 3, year__lte=year).values_list(
        "indicator_id", "area_id", "year", "value"
    )
    for indicator_id, area_id, y, value in rows.iterator(chunk_size=20000):
        values[(indicator_id, area_id, y)] = value
    neighbours: dict[int, list[int]] = defaultdict(list)
    for area_id, neighbour_id in StatisticalNeighbour.objects.order_by("area", "rank").values_list(
        "area_id", "neighbour_id"
    ):
        neighbours[area_id].append(neighbour_id)
    return YearData(definitions, values, dict(neighbours))


def self_grades_of(year: int) -> dict[int, dict[str, int]]:
    """Each area's self-assessed grade per section, from its submitted self-assessment (the
    lowest where several partners graded one section)."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    parts = SelfAssessmentPart.objects.filter(
        self_assessment__year=year,
        self_assessment__status=SelfAssessmentStatus.SUBMITTED,
        self_grade__isnull=False,
    ).values_list("self_assessment__area_id", "section", "self_grade")
    for area_id, section, grade in parts:
        if grade is None:
            continue
        current = out[area_id].get(section)
        out[area_id][section] = grade if current is None else min(current, grade)
    return out


def previous_findings(areas: list[Area], year: int) -> dict[int, list[PreviousFinding]]:
    """Per area, the graded judgements of its latest earlier inspection published in the
    PREVIOUS_YEARS before the end of `year` (evidence for the APA, never an override)."""
    latest: dict[int, AreaInspection] = {}
    for inspection in (
        AreaInspection.objects.filter(
            area__in=areas,
            published_on__lte=datetime.date(year, 12, 31),
            published_on__gt=datetime.date(year - PREVIOUS_YEARS, 12, 31),
        )
        .prefetch_related("judgements")
        .order_by("published_on")
    ):
        latest[inspection.area_id] = inspection
    return {
        area_id: [
            PreviousFinding(
                inspection=f"{i.get_kind_display()} {i.year}",
                published=f"{i.published_on:%-d %B %Y}",
                judgement=j.judgement,
                judgement_title=j.get_judgement_display(),
                grade=Grade(j.grade),
            )
            for j in i.judgements.all()
            if j.grade is not None
        ]
        for area_id, i in latest.items()
    }


def inspection_grades(areas: list[Area], year: int) -> dict[int, dict[str, dict[int, int]]]:
    """Pooled setting inspections per area and outcome, as {grade: distinct inspections}: each
    inspection of a provider once, however many of the outcome's key judgements it graded."""
    pools = areas_pool(areas=areas, as_of=datetime.date(year, 12, 31))
    out: dict[int, dict[str, dict[int, int]]] = {}
    for area_id, pool in pools.items():
        out[area_id] = {
            o.code: {int(g): n for g, n in o.by_inspection.items() if n} for o in pool.outcomes
        }
    return out


def area_judgement_proposals(
    data: YearData,
    area: Area,
    year: int,
    inspections: dict[str, dict[int, int]],
    self_grades: dict[str, int],
) -> dict[str, Proposal]:
    by_group: dict[str, list[IndicatorReading]] = defaultdict(list)
    for definition in data.definitions.values():
        reading = data.reading(definition, area.pk, year)
        if reading is not None:
            by_group[definition.outcome].append(reading)
    out = {
        code: group_proposal(
            kind=code,
            readings=by_group.get(code, []),
            inspection_grades=inspections.get(code),
            self_grade=self_grades.get(code),
        )
        for code in (*OUTCOME_CODES, SERVICE_MANAGEMENT)
    }
    return out
