"""The shipped data the demo loads: every area, one region's providers, made-up inspectors."""

import pytest
from django.db.models import Count

from ecm_inspect.registry.demo import demo_inspectors_ensure
from ecm_inspect.registry.models import Inspector, Provider
from ecm_inspect.registry.services import areas_load, inspectorates_load, providers_load

from .helpers import history, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(kinds: None) -> None:
    inspectorates_load()
    areas_load()
    providers_load()


def test_shipped_providers_are_the_north_east(loaded: None) -> None:
    regions = set(Provider.objects.values_list("area__region_name", flat=True))
    assert regions == {"North East"}
    assert Provider.objects.count() == 251 + 121
    by_source = dict(Provider.objects.values_list("source").annotate(n=Count("pk")))
    assert by_source == {"ofsted-csc-providers": 251, "gias-schools-rating": 121}
    home = Provider.objects.filter(kind__code="childrens_home").first()
    assert home is not None
    assert home.name == f"Children's home {home.urn}"


def test_loading_again_is_a_no_op(loaded: None) -> None:
    demo_inspectors_ensure()
    before = snapshot()
    inspectors = list(Inspector.objects.values())
    areas_load()
    providers_load()
    assert demo_inspectors_ensure() == 0
    assert snapshot() == before
    assert list(Inspector.objects.values()) == inspectors


def test_demo_inspectors_are_made_up_and_have_their_bodys_expertise(loaded: None) -> None:
    assert demo_inspectors_ensure() == 22
    assert not Inspector.objects.filter(is_synthetic=False).exists()
    assert all(
        name.endswith("(demo)") for name in Inspector.objects.values_list("full_name", flat=True)
    )
    by_body = {i.inspectorate.code for i in Inspector.objects.select_related("inspectorate")}
    assert len(by_body) == 10
    ofsted = Inspector.objects.get(full_name="Ada Lovegood (demo)")
    assert ofsted.home_region_code == "E12000001"  # North East
    assert {o.code for o in ofsted.outcome_expertise.all()} == {"BH", "SS", "EA", "PC", "EW"}
    assert ofsted.provider_kind_expertise.filter(code="primary_school").exists()
    hmic = Inspector.objects.get(full_name="Mo Beat (demo)")
    assert not hmic.provider_kind_expertise.filter(code="primary_school").exists()
    # Created, then each expertise set: three history rows each, with the expertise.
    assert history(Inspector, ofsted.pk).count() == 3
