"""Shared planning: two inspections of one provider close together are flagged, with a
combined visit proposed; far apart, they are not."""

from datetime import date

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.framework.models import ProviderKind
from ecm_inspect.national.planning import clashes
from ecm_inspect.provision.services import setting_inspection_create
from ecm_inspect.registry.models import Inspectorate, Provider
from ecm_inspect.reviews.tests.conftest import ReviewWorld


def test_close_inspections_of_one_provider_are_flagged(rw: ReviewWorld) -> None:
    home = Provider.objects.create(
        urn="900001",
        name="Hill House residential school",
        kind=ProviderKind.objects.get(code="boarding_school"),
        area=rw.people.own_area,
    )
    csci = Inspectorate.objects.get(code="CSCI")
    ofsted = Inspectorate.objects.get(code="OFSTED")
    for body, start in (
        (csci, date(2027, 3, 1)),
        (ofsted, date(2027, 3, 15)),
        (csci, date(2027, 9, 1)),
    ):
        setting_inspection_create(
            providers=[home],
            lead_inspectorate=body,
            starts_on=start,
            ends_on=start,
            statutory_framework="Care Standards Act 2000",
        )
    found = clashes(today=date(2027, 1, 1))
    assert len(found) == 1
    clash = found[0]
    assert clash.provider == "Hill House residential school"
    assert clash.bodies == ["CSCI", "Ofsted"]
    assert "Combine into one coordinated visit from 1 March 2027, led by CSCI" in clash.proposal
    assert clashes(today=date(2027, 1, 1), window_days=7) == []
    page = client_for(rw.people.users[Role.INSPECTOR]).get("/national/planning/").content.decode()
    assert "Hill House residential school" in page
