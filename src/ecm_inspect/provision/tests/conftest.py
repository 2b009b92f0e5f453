"""Fixtures for the setting-inspection tests: the Framework, the inspectorates, two areas and
a few providers of different kinds."""

import datetime

import pytest

from ecm_inspect.framework.models import ProviderKind
from ecm_inspect.framework.services import framework_load
from ecm_inspect.registry.models import Area, AreaType, Inspectorate, Provider
from ecm_inspect.registry.services import inspectorates_load


class Place:
    """The providers and bodies the tests inspect."""

    def __init__(self) -> None:
        self.area = area_make("E08000037", "390", "Gateshead")
        self.other_area = area_make("E08000024", "394", "Sunderland")
        self.ofsted = Inspectorate.objects.get(code="OFSTED")
        self.csci = Inspectorate.objects.get(code="CSCI")
        self.hc = Inspectorate.objects.get(code="HEALTHCARE_COMMISSION")
        self.home = provider_make("SC000001", "Oak House", "childrens_home", self.area)
        self.home2 = provider_make("SC000002", "Elm House", "childrens_home", self.area)
        self.school = provider_make("100001", "Hill Special School", "special_school", self.area)
        self.centre = provider_make("CC00001", "Riverside Centre", "childrens_centre", self.area)
        self.extended = provider_make("100002", "Riverside School", "extended_school", self.area)
        self.far_home = provider_make("SC000003", "Far House", "childrens_home", self.other_area)


def area_make(gss: str, la: str, name: str) -> Area:
    return Area.objects.create(
        gss_code=gss,
        la_code=la,
        name=name,
        region_code="E12000001",
        region_name="North East",
        area_type=AreaType.METROPOLITAN,
    )


def provider_make(urn: str, name: str, kind: str, area: Area) -> Provider:
    return Provider.objects.create(
        urn=urn, name=name, kind=ProviderKind.objects.get(code=kind), area=area
    )


@pytest.fixture
def place(db: None) -> Place:
    framework_load()
    inspectorates_load()
    return Place()


DAY = datetime.date(2026, 6, 1)
