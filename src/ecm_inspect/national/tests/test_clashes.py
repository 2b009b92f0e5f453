"""The shared planning calendar's clashes on hand-made calendars: inspections of one provider
within the window of the one before are one clash (a chain counts), the window's last day
included; past, finished and other providers' inspections are not."""

from datetime import date, timedelta

import pytest

from ecm_inspect.framework.models import ProviderKind
from ecm_inspect.national.planning import clashes
from ecm_inspect.provision.models import InspectionStatus
from ecm_inspect.provision.services import setting_inspection_create
from ecm_inspect.registry.models import Inspectorate, Provider
from ecm_inspect.reviews.tests.conftest import ReviewWorld

TODAY = date(2027, 1, 1)
START = date(2027, 3, 1)


def _provider(
    rw: ReviewWorld, name: str = "Hill House residential school", urn: str = "900001"
) -> Provider:
    return Provider.objects.create(
        urn=urn,
        name=name,
        kind=ProviderKind.objects.get(code="boarding_school"),
        area=rw.people.own_area,
    )


def _plan(
    providers: list[Provider],
    body: str,
    start: date,
    days: int = 0,
    status: InspectionStatus = InspectionStatus.PLANNED,
) -> None:
    setting_inspection_create(
        providers=providers,
        lead_inspectorate=Inspectorate.objects.get(code=body),
        starts_on=start,
        ends_on=start + timedelta(days=days),
        statutory_framework="Care Standards Act 2000",
        status=status,
    )


@pytest.mark.parametrize(("gap", "clash"), [(0, True), (27, True), (28, True), (29, False)])
def test_the_windows_last_day_is_inside_it(rw: ReviewWorld, gap: int, clash: bool) -> None:
    home = _provider(rw)
    _plan([home], "CSCI", START)
    _plan([home], "OFSTED", START + timedelta(days=gap))
    found = clashes(today=TODAY, window_days=28)
    assert len(found) == (1 if clash else 0)


def test_a_chain_of_inspections_each_close_to_the_last_is_one_clash(rw: ReviewWorld) -> None:
    home = _provider(rw)
    for body, offset in (("CSCI", 0), ("OFSTED", 20), ("CSCI", 40), ("OFSTED", 100)):
        _plan([home], body, START + timedelta(days=offset), days=3)
    (clash,) = clashes(today=TODAY, window_days=28)
    assert clash.inspections == [
        "CSCI from 1 Mar 2027",
        "Ofsted from 21 Mar 2027",
        "CSCI from 10 Apr 2027",
    ]
    assert clash.bodies == ["CSCI", "Ofsted"]
    assert (clash.first_start, clash.last_end) == (START, START + timedelta(days=43))


def test_one_body_twice_is_proposed_as_one_visit_by_the_same_team(rw: ReviewWorld) -> None:
    home = _provider(rw)
    _plan([home], "OFSTED", START, days=10)
    _plan([home], "OFSTED", START + timedelta(days=2), days=1)
    (clash,) = clashes(today=TODAY)
    assert clash.bodies == ["Ofsted"]
    assert clash.last_end == START + timedelta(days=10)  # the longest, not the last to start
    assert clash.proposal == (
        "Combine into one coordinated visit from 1 March 2027, led by Ofsted with the same "
        "team: one visit plan, shared findings, one record."
    )


def test_only_planned_inspections_still_to_finish_count(rw: ReviewWorld) -> None:
    home = _provider(rw)
    _plan([home], "CSCI", START)
    _plan([home], "OFSTED", START + timedelta(days=1), status=InspectionStatus.IN_PROGRESS)
    assert clashes(today=TODAY) == []
    _plan([home], "OFSTED", START + timedelta(days=2))
    assert len(clashes(today=TODAY)) == 1
    assert clashes(today=START + timedelta(days=1)) == []  # the first has ended by then


def test_clashes_are_per_provider_and_in_order_of_their_first_start(rw: ReviewWorld) -> None:
    hill = _provider(rw)
    dale = _provider(rw, "Dale House school", "900002")
    _plan([hill], "CSCI", START + timedelta(days=30))
    _plan([dale], "OFSTED", START + timedelta(days=35))
    assert clashes(today=TODAY) == []  # two providers, one inspection each
    _plan([hill, dale], "OFSTED", START + timedelta(days=10))  # one roof, both inspected
    found = clashes(today=TODAY)
    assert {(c.provider, c.first_start, len(c.inspections)) for c in found} == {
        ("Hill House residential school", START + timedelta(days=10), 2),
        ("Dale House school", START + timedelta(days=10), 2),
    }
    _plan([dale], "CSCI", START - timedelta(days=5))  # Dale's clash now starts earlier
    assert [c.provider for c in clashes(today=TODAY)] == [
        "Dale House school",
        "Hill House residential school",
    ]


def test_two_separate_clashes_of_one_provider(rw: ReviewWorld) -> None:
    home = _provider(rw)
    for offset in (0, 5, 200, 210):
        _plan([home], "CSCI", START + timedelta(days=offset))
    found = clashes(today=TODAY, window_days=28)
    assert [c.first_start for c in found] == [START, START + timedelta(days=200)]


def test_nothing_planned_no_clash(rw: ReviewWorld) -> None:
    assert clashes(today=TODAY) == []
