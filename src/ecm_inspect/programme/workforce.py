"""A generated national workforce of inspectors, and corporate assessment dates, for the
benchmark, the tests and the demo. SYNTHETIC: made-up people with made-up leave, seeded so the
same seed gives the same workforce.

- 300 inspectors over the nine bodies that take part in joint area reviews, roughly in
  proportion to their inspection work (BODY_SIZES, ours);
- grades: about one in five can lead a review;
- expertise: two or three of the outcomes their body's key judgements cover in the relevance
  matrix (BODY_OUTCOMES), all of them for a lead;
- home region: the regions in proportion to their number of areas;
- days a week: most full time, some four or three days;
- leave: 30 days a year (two weeks in the summer, a week at Christmas, the rest in single
  weeks), three training days, and sickness now and then;
- their own setting-inspection load: in a share of weeks (SETTING_WEEK_SHARE), a two- or
  three-day setting inspection.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from .problem import (
    AreaInput,
    CorporateAssessment,
    InspectorInput,
    Sequencing,
    in_summer,
    third_anniversary,
)

BODY_SIZES = {
    "OFSTED": 110,
    "CSCI": 80,
    "HEALTHCARE_COMMISSION": 40,
    "ALI": 20,
    "AUDIT_COMMISSION": 20,
    "HMIC": 10,
    "HMI_PROBATION": 10,
    "HMI_PRISONS": 5,
    "HMICA": 5,
}
# The outcomes of the key judgements each body inspects (framework relevance matrix, 2005).
BODY_OUTCOMES = {
    "OFSTED": ("BH", "SS", "EA", "PC", "EW"),
    "CSCI": ("BH", "SS", "EA", "PC", "EW"),
    "HEALTHCARE_COMMISSION": ("BH", "SS", "EA"),
    "ALI": ("SS", "PC", "EW"),
    "AUDIT_COMMISSION": ("EW",),
    "HMIC": ("SS", "PC"),
    "HMI_PROBATION": ("SS", "PC", "EW"),
    "HMI_PRISONS": ("BH", "SS", "PC", "EW"),
    "HMICA": ("SS", "PC"),
}
SETTING_WEEK_SHARE = {"OFSTED": 0.35, "CSCI": 0.35, "HEALTHCARE_COMMISSION": 0.25}
OTHER_SETTING_WEEK_SHARE = 0.2
LEAD_SHARE = 0.2
AREAS_FILE = Path(__file__).resolve().parents[1] / "registry" / "data" / "areas_england_2024.csv"

SyntheticLeave = tuple[date, date, str]


def synthetic_inspectors(
    *, seed: int, start: date, years: int, regions: dict[str, int]
) -> list[tuple[InspectorInput, str, str, list[SyntheticLeave]]]:
    """(inspector, name, grade, periods off with their reason) for the whole workforce; ids
    run from 1. `regions` maps region code to its number of areas."""
    rng = random.Random(seed)  # noqa: S311 (seeded synthetic data)
    region_codes = sorted(regions)
    weights = [regions[r] for r in region_codes]
    out = []
    n = 0
    for body, size in BODY_SIZES.items():
        for k in range(size):
            n += 1
            is_lead = rng.random() < LEAD_SHARE
            grade = "lead" if is_lead else rng.choice(["senior", "inspector", "inspector"])
            own = BODY_OUTCOMES[body]
            outcomes = (
                own if is_lead or len(own) <= 2 else tuple(rng.sample(own, rng.choice([2, 3])))
            )
            days = rng.choices([5, 4, 3], weights=[80, 15, 5])[0]
            off = _leave(rng, body, start, years)
            inspector = InspectorInput(
                id=n,
                body=body,
                is_lead=is_lead,
                region=rng.choices(region_codes, weights=weights)[0],
                outcomes=frozenset(outcomes),
                days_per_week=days,
                unavailable=tuple((s, e) for s, e, _ in off),
            )
            name = f"Synthetic inspector {body} {k + 1:03d}"
            out.append((inspector, name, grade, off))
    return out


def _leave(rng: random.Random, body: str, start: date, years: int) -> list[SyntheticLeave]:
    off: list[SyntheticLeave] = []
    first = start - timedelta(days=start.weekday())
    end = third_anniversary(start, years) + timedelta(days=60)
    for year in range(start.year, end.year + 1):
        summer = date(year, 7, 20) + timedelta(weeks=rng.randint(0, 4))
        summer -= timedelta(days=summer.weekday())
        off.append((summer, summer + timedelta(days=11), "annual leave (synthetic)"))
        christmas = date(year, 12, 22)
        off.append((christmas, christmas + timedelta(days=10), "annual leave (synthetic)"))
        for _ in range(3):
            monday = date(year, 1, 5) + timedelta(weeks=rng.randint(0, 48))
            monday -= timedelta(days=monday.weekday())
            off.append((monday, monday + timedelta(days=4), "annual leave (synthetic)"))
        for _ in range(3):
            day = date(year, 1, 10) + timedelta(days=rng.randint(0, 340))
            off.append((day, day, "training (synthetic)"))
        if rng.random() < 0.5:
            day = date(year, 1, 10) + timedelta(days=rng.randint(0, 340))
            off.append((day, day + timedelta(days=rng.randint(0, 4)), "sickness (synthetic)"))
    share = SETTING_WEEK_SHARE.get(body, OTHER_SETTING_WEEK_SHARE)
    monday = first
    while monday < end:
        if rng.random() < share:
            length = rng.choice([2, 3])
            day = monday + timedelta(days=1)
            off.append((day, day + timedelta(days=length - 1), "setting inspection (synthetic)"))
        monday += timedelta(weeks=1)
    return [(s, e, why) for s, e, why in sorted(off) if e >= first and s <= end]


# Most weeks of a programme are outside the holidays, so a draw is kept within a few tries; the
# bound only stops a programme with no such fortnight from spinning.
CORPORATE_ASSESSMENT_TRIES = 1_000


def synthetic_corporate_assessments(
    *, seed: int, gss_codes: list[str], start: date, years: int
) -> dict[str, CorporateAssessment]:
    """A corporate assessment for every council within the cycle, two weeks on site, with an
    Appendix 3 option each, dated so that the option can be kept (SYNTHETIC)."""
    rng = random.Random(seed + 1)  # noqa: S311
    end = third_anniversary(start, years)
    span = (end - start).days
    out = {}
    for gss in sorted(gss_codes):
        option = rng.choices(list(Sequencing), weights=[25, 25, 15, 35])[0]
        low, high = 0, span - 30
        if option == Sequencing.JAR_THEN_CA:
            low = 300  # the review (and its six-to-nine months) first
        elif option == Sequencing.CA_THEN_JAR:
            high = span - 330
        elif option == Sequencing.CONCURRENT:
            low, high = 42, span - 60
        for _ in range(CORPORATE_ASSESSMENT_TRIES):
            day = start + timedelta(days=rng.randint(low, high))
            day -= timedelta(days=day.weekday())
            if (
                day >= start
                and not in_summer(day)
                and not in_summer(day + timedelta(days=11))
                and not _christmas(day)
                and not _christmas(day + timedelta(days=11))
            ):
                break
        else:
            raise ValueError(
                f"No fortnight outside the summer and Christmas holidays came up for {gss} "
                f"in {CORPORATE_ASSESSMENT_TRIES} tries between {start} and {end}."
            )
        out[gss] = CorporateAssessment(day, day + timedelta(days=11), option)
    return out


def _christmas(day: date) -> bool:
    return (day.month == 12 and day.day >= 15) or (day.month == 1 and day.day <= 7)


def real_areas(*, seed: int = 0) -> list[AreaInput]:
    """The 153 real areas from the registry's shipped file, with a SYNTHETIC risk (0-100) for
    use without a database (the benchmark): the real risk needs the APA and indicators."""
    rng = random.Random(seed + 2)  # noqa: S311
    with AREAS_FILE.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    return [
        AreaInput(
            gss=r["gss_code"],
            name=r["la_name"],
            region=r["region_code"],
            risk=int(min(100, max(0, rng.gauss(40, 18)))),
        )
        for r in rows
    ]
