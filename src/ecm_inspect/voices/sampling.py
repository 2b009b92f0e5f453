"""Choosing "about 15 local schools and colleges" for an area's survey (2004 proposals,
section 5), stratified by phase of education and by deprivation, reproducibly.

The sampling frame is every open school and college of the area in the registry, plus the
schools of the national register extract shipped with the registry (`gias_schools_*.csv`) that
the registry could not import because that extract has no phase of education: their phase is
estimated from the roll (at least `SECONDARY_ROLL` pupils: secondary), and marked as estimated.
Deprivation is the school's share of pupils eligible for free school meals from the same
register, cut into thirds over the area's frame. The mix and the rule are in docs/voices.md.
"""

import csv
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from ecm_inspect.registry.models import Area, Provider

from .models import Deprivation, Phase

REGISTER_EXTRACT = (
    Path(__file__).resolve().parents[1]
    / "registry"
    / "data"
    / "providers"
    / "gias_schools_north_east_2024.csv"
)
SECONDARY_ROLL = 700
# The register's establishment types: the phase each implies, where it implies one.
TYPE_PHASE = {
    "7": Phase.SPECIAL,
    "8": Phase.SPECIAL,
    "12": Phase.SPECIAL,
    "33": Phase.SPECIAL,
    "36": Phase.SPECIAL,
    "44": Phase.SPECIAL,
    "14": Phase.ALTERNATIVE,
    "38": Phase.ALTERNATIVE,
    "42": Phase.ALTERNATIVE,
    "43": Phase.ALTERNATIVE,
    "15": Phase.NURSERY,
    "18": Phase.COLLEGE,
    "31": Phase.COLLEGE,
    "39": Phase.COLLEGE,
    "45": Phase.COLLEGE,
    "46": Phase.COLLEGE,
    "40": Phase.SECONDARY,
    "41": Phase.SECONDARY,
}
MAINSTREAM_TYPES = {"1", "2", "3", "5", "28", "34", "35"}
TYPE_NAMES = {
    "15": "Local authority nursery school",
    "7": "Community special school",
    "8": "Non-maintained special school",
    "12": "Foundation special school",
    "14": "Pupil referral unit",
    "33": "Academy special (sponsor led)",
    "36": "Free school (special)",
    "44": "Academy special (converter)",
    "38": "Free school (alternative provision)",
    "42": "Academy alternative provision",
    "43": "Academy alternative provision",
    "18": "Further education college",
    "31": "Sixth form centre",
    "39": "Free school 16 to 19",
    "45": "Academy 16 to 19",
    "46": "Academy 16 to 19",
    "40": "University technical college",
    "41": "Studio school",
    "1": "Community school",
    "2": "Voluntary aided school",
    "3": "Voluntary controlled school",
    "5": "Foundation school",
    "28": "Academy (sponsor led)",
    "34": "Academy (converter)",
    "35": "Free school",
}
KIND_PHASE = {
    "primary_school": Phase.PRIMARY,
    "secondary_school": Phase.SECONDARY,
    "extended_school": Phase.PRIMARY,
    "special_school": Phase.SPECIAL,
    "boarding_school": Phase.SPECIAL,
    "pupil_referral_unit": Phase.ALTERNATIVE,
    "further_education_college": Phase.COLLEGE,
}
# "About 15": the mix aimed at, by phase; places a phase cannot fill go to the biggest phases.
TARGET_MIX: dict[str, int] = {
    Phase.PRIMARY: 6,
    Phase.SECONDARY: 5,
    Phase.SPECIAL: 1,
    Phase.ALTERNATIVE: 1,
    Phase.COLLEGE: 1,
    Phase.NURSERY: 1,
}


class SamplingError(ValueError):
    pass


@dataclass(frozen=True)
class FrameSchool:
    urn: str
    name: str
    phase: str
    phase_estimated: bool
    pupils: int | None
    free_school_meals_percent: Decimal | None
    deprivation: str = Deprivation.UNKNOWN
    provider_id: int | None = None


def _register_rows(la_code: str, extract: Path) -> dict[str, dict[str, str]]:
    with extract.open(encoding="utf-8", newline="") as f:
        return {
            row["unique_reference_number"]: row
            for row in csv.DictReader(f)
            if row["authority_code"] == la_code
        }


def _decimal(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None and _number(text) is not None else None


def _number(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def sampling_frame(area: Area, extract: Path = REGISTER_EXTRACT) -> list[FrameSchool]:
    """Every school and college of the area that could take part, with phase and deprivation."""
    register = _register_rows(area.la_code, extract) if extract.exists() else {}
    frame: list[FrameSchool] = []
    providers = (
        Provider.objects.open()
        .in_area(area)
        .filter(kind__code__in=KIND_PHASE)
        .select_related("kind")
    )
    for provider in providers:
        row = register.pop(provider.urn, {})
        fsm = row.get("percent_free_school_meals")
        frame.append(
            FrameSchool(
                urn=provider.urn,
                name=provider.name,
                phase=KIND_PHASE[provider.kind.code],
                phase_estimated=False,
                pupils=_number(row.get("pupil_number")),
                free_school_meals_percent=_decimal(fsm),
                provider_id=provider.pk,
            )
        )
    for urn, row in register.items():
        type_code = row["establishment_type_code"]
        pupils = _number(row["pupil_number"])
        if type_code in TYPE_PHASE:
            phase, estimated = TYPE_PHASE[type_code], False
        elif type_code in MAINSTREAM_TYPES and pupils is not None:
            phase = Phase.SECONDARY if pupils >= SECONDARY_ROLL else Phase.PRIMARY
            estimated = True
        else:
            continue  # independent schools: no phase, and outside the local offer
        fsm = row["percent_free_school_meals"]
        frame.append(
            FrameSchool(
                urn=urn,
                name=f"{TYPE_NAMES.get(type_code, 'School')} {urn}",
                phase=phase,
                phase_estimated=estimated,
                pupils=pupils,
                free_school_meals_percent=_decimal(fsm),
            )
        )
    return _with_deprivation(frame)


def _with_deprivation(frame: list[FrameSchool]) -> list[FrameSchool]:
    known = sorted(
        s.free_school_meals_percent for s in frame if s.free_school_meals_percent is not None
    )
    if len(known) < 3:
        return frame
    low_cut, high_cut = known[len(known) // 3], known[(2 * len(known)) // 3]

    def band(fsm: Decimal | None) -> str:
        if fsm is None:
            return Deprivation.UNKNOWN
        if fsm >= high_cut:
            return Deprivation.HIGH
        return Deprivation.MIDDLE if fsm >= low_cut else Deprivation.LOW

    return [replace(s, deprivation=band(s.free_school_meals_percent)) for s in frame]


def _allocate(by_phase: dict[str, list[FrameSchool]], size: int) -> dict[str, int]:
    scale = size / sum(TARGET_MIX.values())
    want = {str(phase): round(n * scale) for phase, n in TARGET_MIX.items()}
    places: dict[str, int] = {
        str(phase): min(n, len(by_phase.get(phase, []))) for phase, n in want.items()
    }
    spare = size - sum(places.values())
    # Places a phase cannot fill go, one at a time, to the phase with most schools left over.
    while spare > 0:
        room = {p: len(by_phase.get(p, [])) - places[p] for p in places}
        phase = max(room, key=lambda p: (room[p], TARGET_MIX[p]))
        if room[phase] <= 0:
            break
        places[phase] += 1
        spare -= 1
    return places


def sample_draw(frame: Iterable[FrameSchool], *, size: int = 15, seed: int) -> list[FrameSchool]:
    """Choose `size` schools: places by phase (TARGET_MIX), and within a phase an even spread
    over the deprivation thirds (round robin, most deprived first), at random within each
    third. The same frame and seed always give the same sample."""
    schools = sorted(frame, key=lambda s: s.urn)
    if len(schools) < size:
        raise SamplingError(
            f"the area has {len(schools)} schools and colleges that could take part; "
            f"{size} were asked for"
        )
    rng = random.Random(seed)  # noqa: S311 (reproducible sample, not a secret)
    by_phase: dict[str, list[FrameSchool]] = defaultdict(list)
    for school in schools:
        by_phase[school.phase].append(school)
    chosen: list[FrameSchool] = []
    for phase, places in _allocate(by_phase, size).items():
        thirds: dict[str, list[FrameSchool]] = defaultdict(list)
        for school in by_phase.get(phase, []):
            thirds[school.deprivation].append(school)
        for group in thirds.values():
            rng.shuffle(group)
        order = [Deprivation.HIGH, Deprivation.MIDDLE, Deprivation.LOW, Deprivation.UNKNOWN]
        taken = 0
        while taken < places:
            for third in order:
                if taken < places and thirds[third]:
                    chosen.append(thirds[third].pop())
                    taken += 1
    return chosen
