"""Neighbourhood studies: the place studied, its deprivation, and the team's description."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ecm_inspect.core.concurrency import record_update

from ..models import (
    NeighbourhoodStudy,
    PlaceKind,
)
from ..neighbourhoods import lsoa_rows, neighbourhoods_of
from ..services import EvidenceRefused
from .findings import text_screened


@dataclass(frozen=True)
class PlaceDeprivation:
    lsoas: int
    most_deprived_decile: int
    mean_decile: float
    children: int
    unknown: list[str]


def place_deprivation(codes: list[str]) -> PlaceDeprivation:
    """The deprivation of a place made of LSOAs (2019 Indices of Deprivation): how many, the
    most deprived decile among them, the child-weighted mean decile, the children 0-15."""
    wanted = set(codes)
    rows = {r["lsoa11cd"]: r for r in lsoa_rows() if r["lsoa11cd"] in wanted}
    deciles = [(int(r["imd_decile"]), int(r["children_0_15_mid2015"] or 0)) for r in rows.values()]
    children = sum(n for _, n in deciles)
    mean = (
        sum(d * n for d, n in deciles) / children
        if children
        else (sum(d for d, _ in deciles) / len(deciles) if deciles else 0.0)
    )
    return PlaceDeprivation(
        len(rows),
        min((d for d, _ in deciles), default=0),
        round(mean, 1),
        children,
        sorted(wanted - set(rows)),
    )


@transaction.atomic
def neighbourhood_describe(
    *,
    study: NeighbourhoodStudy,
    seen_version: int,
    name: str,
    place_kind: str,
    lsoa_codes: Iterable[str],
    context: str,
    provision: str,
    visits: str,
    discussions: str,
    confirm_no_personal_data: bool = False,
    by: Any = None,
) -> NeighbourhoodStudy:
    """Describe the place studied and what the team found there (edits never overwrite another
    inspector's: an EditConflict if someone saved since `seen_version`)."""
    if place_kind not in PlaceKind.values:
        raise EvidenceRefused(f"No kind of place {place_kind!r}.")
    if not name.strip():
        raise EvidenceRefused("Give the place a name (the estate, ward or district).")
    codes = [c.strip().upper() for c in lsoa_codes if c.strip()]
    mine = {r["lsoa11cd"] for r in neighbourhoods_of(study.review.area)}
    foreign = [c for c in codes if c not in mine]
    if foreign:
        raise EvidenceRefused(
            f"Not neighbourhoods of {study.review.area.name}: {', '.join(foreign)}."
        )
    text_screened("\n".join((context, provision, visits, discussions)), confirm_no_personal_data)
    codes = [study.lsoa_code, *[c for c in dict.fromkeys(codes) if c != study.lsoa_code]]
    depth = place_deprivation(codes)
    return record_update(
        record=study,
        seen_version=seen_version,
        changes={
            "name": name.strip()[:100],
            "place_kind": place_kind,
            "lsoa_codes": codes,
            "imd_decile": depth.most_deprived_decile or study.imd_decile,
            "context": context.strip(),
            "provision": provision.strip(),
            "visits": visits.strip(),
            "discussions": discussions.strip(),
        },
        by=by,
    )
