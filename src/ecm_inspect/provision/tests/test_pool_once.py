"""Pooled findings count once per inspection: an imported overall grade that the relevance
matrix spreads to several key judgements is one inspection, not one finding per key judgement
(two schools must not pass a five-finding threshold)."""

import datetime

from django.test import Client

from ecm_inspect.framework.grades import Grade
from ecm_inspect.performance.proposals import MIN_INSPECTIONS, group_proposal
from ecm_inspect.performance.readings import inspection_grades as _inspection_grades
from ecm_inspect.provision.selectors import area_pool

from .conftest import DAY, Place, provider_make
from .test_pool import inspect

# What the Ofsted imports give a primary school's one overall grade: its welfare key judgements.
SPREAD_TO = ["BH.2", "BH.3", "BH.4", "BH.6", "SS.1", "SS.2", "SS.8"]


def _schools(place: Place, count: int, grade: Grade = Grade.GOOD) -> None:
    for n in range(count):
        school = provider_make(f"2000{n:02d}", f"School {n}", "primary_school", place.area)
        inspect(
            place,
            school,
            place.ofsted,
            datetime.date(2025, 3, 1 + n),
            dict.fromkeys(SPREAD_TO, grade),
        )


def _outcome(place: Place, code: str):  # noqa: ANN202
    return next(o for o in area_pool(area=place.area, as_of=DAY).outcomes if o.code == code)


def test_two_schools_with_one_overall_grade_each_are_two_inspections(place: Place) -> None:
    _schools(place, 2)
    bh = _outcome(place, "BH")
    assert bh.findings == 8  # four being-healthy key judgements each
    assert bh.inspections == 2
    assert bh.by_inspection[Grade.GOOD] == 2
    pool = {p.code: p for p in area_pool(area=place.area, as_of=DAY).key_judgements}
    assert (pool["SS.2"].inspections, pool["SS.2"].spread) == (2, 2)
    grades = _inspection_grades([place.area], 2025)[place.area.pk]["BH"]
    assert grades == {3: 2}
    proposal = group_proposal(kind="BH", readings=[], inspection_grades=grades)
    assert proposal.grade is None
    assert any("only 2 inspections" in r for r in proposal.reasons)
    # The area's pool says so too, for anyone.
    data = Client().get(f"/api/provision/areas/{place.area.gss_code}/pool/").json()
    bh_out = next(o for o in data["outcomes"] if o["code"] == "BH")
    assert (sum(bh_out["distribution"].values()), bh_out["inspections"]) == (8, 2)
    ss2 = next(k for k in data["key_judgements"] if k["code"] == "SS.2")
    assert (ss2["inspections"], ss2["spread"]) == (2, 2)
    page = Client().get(f"/provision/areas/{place.area.gss_code}/").content.decode()
    assert "Distinct inspections" in page


def test_enough_distinct_inspections_pass_the_threshold(place: Place) -> None:
    _schools(place, MIN_INSPECTIONS)
    grades = _inspection_grades([place.area], 2025)[place.area.pk]["BH"]
    assert grades == {3: MIN_INSPECTIONS}
    proposal = group_proposal(kind="BH", readings=[], inspection_grades=grades)
    assert proposal.grade == 3
    assert any(f"{MIN_INSPECTIONS} inspections graded" in r for r in proposal.reasons)


def test_an_inspection_counts_once_at_its_mean_grade_on_the_outcome(place: Place) -> None:
    school = provider_make("300001", "Mixed School", "primary_school", place.area)
    grades = {"BH.2": Grade.OUTSTANDING, "BH.3": Grade.OUTSTANDING, "BH.4": Grade.GOOD}
    inspect(place, school, place.ofsted, datetime.date(2025, 5, 1), grades)
    bh = _outcome(place, "BH")
    assert (bh.findings, bh.inspections) == (3, 1)
    assert bh.by_inspection[Grade.OUTSTANDING] == 1  # mean 3.67
    pool = {p.code: p for p in area_pool(area=place.area, as_of=DAY).key_judgements}
    assert pool["BH.2"].spread == 0  # graded apart: judged on each key judgement
