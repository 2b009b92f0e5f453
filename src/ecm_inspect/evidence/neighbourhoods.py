"""Neighbourhoods: the area's small areas (LSOAs) with their deprivation, suggested for study
across the deciles, and the team's neighbourhood studies."""

import csv
import functools
from pathlib import Path
from typing import Any

from django.db import transaction

from ecm_inspect.registry.models import Area
from ecm_inspect.reviews.models import Review

from .models import (
    NeighbourhoodStudy,
)
from .services import EvidenceRefused

LSOA_FILE = Path(__file__).resolve().parent / "data" / "iod2019_lsoa.csv"


@functools.cache
def lsoa_rows() -> tuple[dict[str, str], ...]:
    """Every LSOA of the 2019 Indices of Deprivation, read once per process (the file never
    changes while the product runs)."""
    with LSOA_FILE.open(encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def neighbourhoods_of(area: Area) -> list[dict[str, Any]]:
    """The area's neighbourhoods (LSOAs) with their 2019 deprivation, most deprived first."""
    rows: list[dict[str, Any]] = [
        dict(r) for r in lsoa_rows() if r["csa_2024_gss_code"] == area.gss_code
    ]
    for r in rows:
        for k in (
            "imd_rank",
            "imd_decile",
            "income_decile",
            "education_decile",
            "health_decile",
            "crime_decile",
            "living_env_decile",
            "population_mid2015",
            "children_0_15_mid2015",
        ):
            r[k] = int(r[k]) if r[k].isdigit() else 0
    return sorted(rows, key=lambda r: r["imd_rank"])


def neighbourhoods_suggest(*, area: Area, count: int) -> list[dict[str, Any]]:
    """The most deprived neighbourhoods with the most children, and one less deprived for
    contrast (the 2004 proposals: studies of particular neighbourhoods)."""
    rows = neighbourhoods_of(area)
    if not rows:
        return []
    deprived = sorted(
        [r for r in rows if r["imd_decile"] <= 2] or rows[: max(count, 1)],
        key=lambda r: (-r["children_0_15_mid2015"], r["imd_rank"]),
    )
    chosen = [
        dict(r, why="Among the most deprived 20% in England, with many children")
        for r in deprived[: max(count - 1, 1)]
    ]
    if count > 1 and len(rows) > 1:
        contrast = rows[-1]
        chosen.append(dict(contrast, why="Among the least deprived in the area, for contrast"))
    return chosen


@transaction.atomic
def neighbourhood_study_add(
    *, review: Review, lsoa_code: str, why_chosen: str, by: Any = None
) -> NeighbourhoodStudy:
    row = next((r for r in neighbourhoods_of(review.area) if r["lsoa11cd"] == lsoa_code), None)
    if row is None:
        raise EvidenceRefused(f"{lsoa_code} is not a neighbourhood of {review.area.name}.")
    study, _ = NeighbourhoodStudy.objects.get_or_create(
        review=review,
        lsoa_code=lsoa_code,
        defaults={
            "name": row["lsoa11nm"],
            "imd_decile": row["imd_decile"],
            "why_chosen": why_chosen,
        },
    )
    return study
