"""Reads for the report: where the area stands on headline indicators against its statistical
neighbours and England, and published reports for the public pages."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ecm_inspect.performance.models import IndicatorDefinition, IndicatorValue, Polarity
from ecm_inspect.registry.models import Area, StatisticalNeighbour
from ecm_inspect.reviews.models import Review, Stage

from .models import Publication

# Headline indicators the report charts, one or two per outcome (codes of the DfE LAIT set the
# APA reads). Chosen for a reader who would rather look than read: each has a better direction.
# Each with the short label the chart prints (the table beside it gives the full title).
HEADLINE_INDICATORS = {
    "LACHealth%": "Health checks, children in care (%)",  # being healthy
    "ReReferral": "Re-referrals within 12 months (%)",  # staying safe
    "LACStable_2016on": "Children in care, 3+ placements (%)",  # staying safe
    "KS2RWM_Expected_STD": "Key stage 2, expected standard (%)",  # enjoying and achieving
    "FirstYJS": "First-time entrants to youth justice",  # making a positive contribution
    "16-17 NEET": "16-17 year olds not in EET (%)",  # achieving economic well-being
}
# England's value is drawn only when it is of the same order as the areas' (no further than
# this factor outside their range): the LAIT's England row of a few indicators is on another
# basis (e.g. a count where the areas have a rate), and a mark far off would mislead.
ENGLAND_COMPARABLE = 3.0
MIN_NEIGHBOURS = 3  # as the APA proposal: a position needs at least three neighbours with data


@dataclass(frozen=True)
class IndicatorPosition:
    code: str
    label: str
    title: str
    unit: str
    better: str  # Polarity: "higher" or "lower"
    year: int
    value: float
    england: float | None
    neighbours: list[tuple[str, float]]

    @property
    def rank(self) -> int:
        """The area's place among itself and its neighbours, 1 the best."""
        values = [v for _, v in self.neighbours]
        if self.better == Polarity.HIGHER:
            return 1 + sum(1 for v in values if v > self.value)
        return 1 + sum(1 for v in values if v < self.value)

    @property
    def out_of(self) -> int:
        return len(self.neighbours) + 1


def _comparable(england: float | None, values: list[float]) -> float | None:
    if england is None:
        return None
    low, high = min(values), max(values)
    if high > 0 and england > high * ENGLAND_COMPARABLE:
        return None
    if low > 0 and england < low / ENGLAND_COMPARABLE:
        return None
    return england


def indicator_positions(
    *, review: Review, codes: dict[str, str] = HEADLINE_INDICATORS
) -> list[IndicatorPosition]:
    """Each headline indicator in the latest year (up to the review's) with values for the area
    and at least MIN_NEIGHBOURS of its statistical neighbours."""
    area = review.area
    until = review.analysis_starts_on.year
    neighbours = dict(
        StatisticalNeighbour.objects.filter(area=area).values_list(
            "neighbour_id", "neighbour__name"
        )
    )
    definitions = {d.code: d for d in IndicatorDefinition.objects.filter(code__in=codes)}
    values = list(
        IndicatorValue.objects.filter(indicator__in=definitions.values(), year__lte=until).filter(
            area_id__in=[area.pk, *neighbours]
        )
        | IndicatorValue.objects.filter(
            indicator__in=definitions.values(), year__lte=until, area__isnull=True
        )
    )
    table: dict[tuple[int, int], dict[int | None, float]] = {}
    for v in values:
        table.setdefault((v.indicator_id, v.year), {})[v.area_id] = v.value
    out = []
    for code in codes:
        d = definitions.get(code)
        if d is None or d.polarity == Polarity.NEITHER:
            continue
        years = sorted(
            (
                year
                for (ind, year), row in table.items()
                if ind == d.pk
                and area.pk in row
                and sum(1 for n in neighbours if n in row) >= MIN_NEIGHBOURS
            ),
            reverse=True,
        )
        if not years:
            continue
        row = table[(d.pk, years[0])]
        areas = [v for k, v in row.items() if k is not None]
        out.append(
            IndicatorPosition(
                code=d.code,
                label=codes[code],
                title=d.title,
                unit=d.unit,
                better=d.polarity,
                year=years[0],
                value=row[area.pk],
                england=_comparable(row.get(None), areas),
                neighbours=sorted(
                    ((neighbours[n], row[n]) for n in neighbours if n in row), key=lambda p: p[1]
                ),
            )
        )
    return out


# A report is public only once its review has moved to "published" (the freeze happens in that
# move, so a row of an earlier stage would be a bug: it is never shown).
PUBLIC_STAGES = (Stage.PUBLISHED, Stage.FOLLOW_UP)


def publications_public() -> QuerySet[Publication]:
    return (
        Publication.objects.filter(review__stage__in=PUBLIC_STAGES)
        .select_related("review__area")
        .order_by("-published_on")
    )


def publication_get_for_review(*, review: Review) -> Publication | None:
    """The review's published report, if it has been published."""
    return publications_public().filter(review=review).first()


def publication_get_public(*, review_id: int) -> Publication:
    """A published report: anyone may read it; nothing else of a review is public."""
    found = publications_public().filter(review_id=review_id).first()
    if found is None:
        raise Http404("No published report.")
    return found


def area_publications_public(*, gss_code: str) -> tuple[Area, list[Publication]]:
    """An area's published reports, newest first (404 for an unknown area)."""
    area = Area.objects.filter(gss_code=gss_code).first()
    if area is None:
        raise Http404("No such area.")
    return area, list(publications_public().filter(review__area=area))


# The open data's columns; their meaning is documented in docs/reports.md, "Open data".
OPEN_DATA_FIELDS = [
    "area_gss_code",
    "area",
    "published_on",
    "judgement",
    "judgement_title",
    "grade",
]
JUDGEMENT_TITLES = {
    "BH": "Being healthy",
    "SS": "Staying safe",
    "EA": "Enjoying and achieving",
    "PC": "Making a positive contribution",
    "EW": "Achieving economic well-being",
    "SM": "Service management",
    "capacity": "Capacity to improve",
    "children_in_care": "Children and young people in care",
    "ldd": "Children and young people with learning difficulties and/or disabilities",
}


def open_data_rows() -> list[dict[str, Any]]:
    rows = []
    for p in publications_public().order_by("published_on", "review__area__name"):
        for code, grade in p.grades.items():
            rows.append(
                {
                    "area_gss_code": p.review.area.gss_code,
                    "area": p.review.area.name,
                    "published_on": p.published_on.isoformat(),
                    "judgement": code,
                    "judgement_title": JUDGEMENT_TITLES.get(code, code),
                    "grade": grade,
                }
            )
    return rows
