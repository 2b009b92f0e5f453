"""Pooling for the area, on a hand-built example whose answer is worked out by hand."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.provision.models import InspectionStatus
from ecm_inspect.provision.selectors import Conflict, Gap, area_pool, areas_pool
from ecm_inspect.provision.services import (
    judgement_record,
    setting_inspection_create,
    setting_inspection_publish,
)

from .conftest import DAY, Place

D = datetime.date


def inspect(place: Place, provider, body, ends_on, findings, children=None, publish=True):
    inspection = setting_inspection_create(
        providers=[provider],
        lead_inspectorate=body,
        starts_on=ends_on,
        ends_on=ends_on,
        statutory_framework="test",
        status=InspectionStatus.COMPLETED,
        children={provider.pk: children} if children is not None else None,
    )
    for code, grade in findings.items():
        judgement_record(
            inspection=inspection,
            provider=provider,
            inspectorate=body,
            key_judgement=KeyJudgement.objects.get(code=code),
            grade=grade if isinstance(grade, Grade) else None,
            not_judged_reason=grade if isinstance(grade, str) else "",
        )
    if publish:
        setting_inspection_publish(
            inspection=inspection, seen_version=inspection.version, published_on=ends_on, by=None
        )
    return inspection


@pytest.fixture
def example(place: Place) -> Place:
    inspect(
        place,
        place.home,
        place.csci,
        D(2026, 1, 10),
        {"SS.7": Grade.GOOD, "BH.5": Grade.OUTSTANDING},
        4,
    )
    inspect(place, place.home, place.csci, D(2025, 3, 1), {"SS.7": Grade.INADEQUATE})
    inspect(place, place.home2, place.csci, D(2022, 5, 1), {"SS.7": Grade.ADEQUATE}, 3)
    inspect(
        place,
        place.school,
        place.ofsted,
        D(2025, 9, 1),
        {"EA.8": Grade.OUTSTANDING, "SS.8": "Residential provision closed at the time"},
        100,
    )
    inspect(place, place.far_home, place.csci, D(2026, 2, 1), {"SS.7": Grade.INADEQUATE}, 6)
    return place


def by_code(pool):
    return {kj.code: kj for kj in pool.key_judgements}


def test_distribution_counts_each_providers_latest_grade_in_the_area_only(example: Place) -> None:
    pool = by_code(area_pool(area=example.area, as_of=DAY))
    ss7 = pool["SS.7"]
    assert ss7.providers_judged == 2
    assert ss7.distribution == {
        Grade.OUTSTANDING: 0,
        Grade.GOOD: 1,  # Oak House's latest (January 2026), not its inadequate of 2025
        Grade.ADEQUATE: 1,
        Grade.INADEQUATE: 0,  # Far House is in Sunderland
    }
    assert [(f.provider_name, f.grade) for f in ss7.findings] == [
        ("Elm House", Grade.ADEQUATE),
        ("Oak House", Grade.GOOD),
    ]


def test_recency_gives_the_date_of_each_finding_and_flags_stale_ones(example: Place) -> None:
    pool = area_pool(area=example.area, as_of=DAY)
    assert pool.recent_since == D(2023, 6, 1)
    ss7 = by_code(pool)["SS.7"]
    assert (ss7.newest, ss7.oldest, ss7.stale) == (D(2026, 1, 10), D(2022, 5, 1), 1)
    assert {f.provider_name: (f.inspected_on, f.is_stale) for f in ss7.findings} == {
        "Elm House": (D(2022, 5, 1), True),
        "Oak House": (D(2026, 1, 10), False),
    }


def test_recent_findings_two_grades_apart_are_a_conflict(example: Place) -> None:
    pool = by_code(area_pool(area=example.area, as_of=DAY))
    assert pool["SS.7"].conflicts == [
        Conflict(example.home.pk, "Oak House", Grade.INADEQUATE, Grade.GOOD)
    ]
    assert pool["BH.5"].conflicts == []
    # A year later the inadequate of March 2025 is still recent; four years later neither is.
    later = by_code(area_pool(area=example.area, as_of=D(2030, 1, 1)))
    assert later["SS.7"].conflicts == []


def test_coverage_gaps_are_relevant_kinds_in_the_area_with_no_recent_judgement(
    example: Place,
) -> None:
    pool = by_code(area_pool(area=example.area, as_of=DAY))
    assert pool["SS.7"].gaps == [Gap("Special school", 1)]
    assert pool["EA.8"].gaps == [
        Gap("Children's home", 2),
        Gap("Extended school (services beyond the school day under one roof)", 1),
        Gap("Sure Start children's centre", 1),
    ]


def test_children_covered_where_known_and_not_judged_counted(example: Place) -> None:
    pool = by_code(area_pool(area=example.area, as_of=DAY))
    ss7 = pool["SS.7"]
    # Children's homes 4 + 3 judged, of 4 + 3 + 100 at the kinds SS.7 is relevant to.
    assert (ss7.children_covered, ss7.children_in_relevant_providers) == (7, 107)
    assert ss7.children_share == pytest.approx(7 / 107)
    assert pool["SS.8"].not_judged == 1
    assert pool["SS.8"].providers_judged == 0
    assert pool["PC.4"].children_share == 0.0  # relevant to the special school, not judged
    assert pool["SS.5"].children_share is None  # no provider here it is relevant to


def test_pooled_by_vulnerable_group_and_by_outcome(example: Place) -> None:
    pool = area_pool(area=example.area, as_of=DAY)
    groups = {g.code: g for g in pool.groups}
    cic = groups["children_in_care"]
    assert cic.key_judgements == ["BH.5", "SS.7", "EA.7", "PC.6", "EW.6"]
    assert cic.providers_judged == 2
    assert cic.distribution == {
        Grade.OUTSTANDING: 1,
        Grade.GOOD: 1,
        Grade.ADEQUATE: 1,
        Grade.INADEQUATE: 0,
    }
    assert cic.conflicts == 1
    assert groups["ldd"].providers_judged == 1
    assert groups["ldd"].distribution[Grade.OUTSTANDING] == 1
    outcomes = {o.code: o.findings for o in pool.outcomes}
    assert outcomes == {"BH": 1, "SS": 2, "EA": 1, "PC": 0, "EW": 0}


def test_an_area_with_no_inspections_has_an_empty_pool(example: Place) -> None:
    national = areas_pool(as_of=DAY)
    assert set(national) == {example.area.pk, example.other_area.pk}
    far = by_code(national[example.other_area.pk])
    assert far["SS.7"].distribution[Grade.INADEQUATE] == 1
    assert far["SS.7"].findings == []  # the national run leaves out the findings


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grades=st.lists(st.sampled_from(list(Grade)), min_size=1, max_size=6))
def test_the_latest_of_any_sequence_of_grades_is_pooled(place: Place, grades: list[Grade]) -> None:
    """Whatever a provider's history, only its latest grade counts, and a conflict is flagged
    exactly when two recent grades are two or more apart."""
    from ecm_inspect.provision.models import Judgement, SettingInspection

    Judgement.objects.all().delete()
    SettingInspection.objects.all().delete()
    for i, grade in enumerate(grades):
        inspect(
            place,
            place.home,
            place.csci,
            D(2024, 1, 1) + datetime.timedelta(days=i),
            {"SS.2": grade},
        )
    ss2 = by_code(area_pool(area=place.area, as_of=DAY))["SS.2"]
    assert ss2.providers_judged == 1
    assert ss2.distribution[grades[-1]] == 1
    spread = max(int(g) for g in grades) - min(int(g) for g in grades)
    assert bool(ss2.conflicts) == (spread >= 2)


def test_a_tie_on_the_date_goes_to_the_later_record_in_the_pool_and_the_findings(
    place: Place,
) -> None:
    inspect(place, place.home, place.csci, D(2025, 5, 1), {"SS.7": Grade.INADEQUATE}, 5)
    inspect(place, place.home, place.csci, D(2025, 5, 1), {"SS.7": Grade.GOOD}, 9)
    ss7 = by_code(area_pool(area=place.area, as_of=DAY))["SS.7"]
    assert ss7.providers_judged == 1
    assert ss7.distribution[Grade.GOOD] == 1
    assert ss7.children_covered == 9  # the children of the inspection that counted
    assert [f.grade for f in ss7.findings] == [Grade.GOOD]


def test_a_recent_not_judged_finding_closes_the_coverage_gap(place: Place) -> None:
    inspect(place, place.home, place.csci, D(2021, 5, 1), {"SS.7": Grade.GOOD})
    inspect(place, place.home2, place.csci, D(2025, 5, 1), {"SS.7": "No child placed"})
    ss7 = by_code(area_pool(area=place.area, as_of=DAY))["SS.7"]
    assert (ss7.providers_judged, ss7.stale, ss7.not_judged) == (1, 1, 1)
    assert Gap("Children's home", 2) not in ss7.gaps
    # Without the recent "not judged", only the stale grade is left: a gap.
    later = by_code(area_pool(area=place.area, as_of=D(2029, 1, 1)))["SS.7"]
    assert Gap("Children's home", 2) in later.gaps


def test_the_national_run_gives_each_area_what_its_own_page_gives(example: Place) -> None:
    """`areas_pool()` for every area and `area_pool` for one run the same statements with and
    without an area filter: apart from the list of findings, they agree."""
    inspect(example, example.far_home, example.csci, D(2024, 2, 1), {"SS.7": Grade.GOOD}, 2)
    inspect(example, example.extended, example.ofsted, D(2025, 2, 1), {"EA.3": "Closed"})
    national = areas_pool(as_of=DAY)
    for area in (example.area, example.other_area):
        one = area_pool(area=area, as_of=DAY)
        for kj in one.key_judgements:
            kj.findings = []
        assert one == national[area.pk]
    assert national[example.other_area.pk].groups[0].providers_judged == 1


def test_an_inspection_not_yet_published_is_not_evidence(example: Place) -> None:
    """The pool is public: a completed but unpublished inspection adds no grade, date, conflict
    or "not judged", and closes no coverage gap, until it is published."""
    before = area_pool(area=example.area, as_of=DAY)
    draft = inspect(
        example,
        example.school,
        example.ofsted,
        D(2026, 3, 1),
        {"EA.8": Grade.INADEQUATE, "SS.8": "Closed", "PC.4": Grade.GOOD},
        120,
        publish=False,
    )
    assert area_pool(area=example.area, as_of=DAY) == before
    setting_inspection_publish(inspection=draft, seen_version=1, published_on=DAY, by=None)
    after = by_code(area_pool(area=example.area, as_of=DAY))
    assert after["EA.8"].distribution[Grade.INADEQUATE] == 1
    assert after["EA.8"].conflicts == [
        Conflict(example.school.pk, "Hill Special School", Grade.INADEQUATE, Grade.OUTSTANDING)
    ]
    assert after["SS.8"].not_judged == 2
    assert Gap("Special school", 1) not in after["PC.4"].gaps
    assert after["PC.4"].children_covered == 120
