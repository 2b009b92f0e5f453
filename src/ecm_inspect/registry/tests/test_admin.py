"""The registry's admin: lists with search and filters, history to read, edits that go through
`record_update` (version, audit, conflicts) and nothing deleted that must be kept."""

from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice

from ecm_inspect.accounts.models import User
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.registry.models import (
    Area,
    Inspector,
    Inspectorate,
    PartnerBody,
    PartnerKind,
    Provider,
)

from .helpers import history

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry")]


@pytest.fixture
def admin_client() -> Client:
    boss = User.objects.create_superuser(username="boss", email="boss@example.org")
    StaticDevice.objects.create(user=boss, name="Backup codes")
    return client_for(boss)


@pytest.fixture
def partner() -> PartnerBody:
    return PartnerBody.objects.create(
        area=Area.objects.get(name="Durham"), kind=PartnerKind.POLICE, name="Durham Constabulary"
    )


LISTS = {
    "area": ["", "?q=hartlepool", "?q=E06000001", "?q=805", "?region_name=London"],
    "inspectorate": ["", "?q=ofsted"],
    "inspector": ["", "?q=olive", "?is_active__exact=1", "?grade__exact=lead"],
    "provider": ["", "?q=SC037454", "?q=NE1", "?open=yes", "?open=no", "?kind__id__exact=1"],
    "partnerbody": ["", "?q=durham", "?kind__exact=police"],
}


@pytest.mark.parametrize(
    ("model", "query"), [(m, q) for m, queries in LISTS.items() for q in queries]
)
def test_lists_search_and_filter(
    admin_client: Client,
    partner: PartnerBody,
    model: str,
    query: str,
    django_assert_max_num_queries: Any,
) -> None:
    with django_assert_max_num_queries(20):
        response = admin_client.get(f"/admin/registry/{model}/{query}")
    assert response.status_code == 200


def test_search_finds_a_provider_by_urn_postcode_and_name(admin_client: Client) -> None:
    provider = Provider.objects.filter(kind__code="childrens_home").first()
    assert provider is not None
    Provider.objects.filter(pk=provider.pk).update(name="Oak House", postcode="NE1 4ST")
    for q in (provider.urn, "NE1 4ST", "oak house"):
        text = admin_client.get("/admin/registry/provider/", {"q": q}).content.decode()
        assert f"/admin/registry/provider/{provider.pk}/change/" in text, q
        assert "1 result" in text, q
    text = admin_client.get("/admin/registry/area/", {"q": "E08000016"}).content.decode()
    assert "Barnsley" in text


def _provider_form(provider: Provider, **changes: Any) -> dict[str, Any]:
    data = {
        "name": provider.name,
        "kind": provider.kind_id,
        "sub_type": provider.sub_type,
        "area": provider.area_id,
        "address": provider.address,
        "postcode": provider.postcode,
        "registered_on": provider.registered_on.isoformat() if provider.registered_on else "",
        "closed_on": "",
        "source": provider.source,
        "seen_version": provider.version,
    }
    return {**data, **changes}


def test_an_edit_is_versioned_and_audited(admin_client: Client) -> None:
    provider = Provider.objects.filter(kind__code="childrens_home").first()
    assert provider is not None
    url = f"/admin/registry/provider/{provider.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, _provider_form(provider, name="Oak House", postcode="ne14st"))
    assert response.status_code == 302, response.content.decode()[:2000]
    provider.refresh_from_db()
    assert (provider.name, provider.postcode, provider.version) == ("Oak House", "NE1 4ST", 2)
    latest = history(Provider, provider.pk)[0]
    assert (latest.history_type, latest.history_user.username) == ("~", "boss")
    assert admin_client.get(f"/admin/registry/provider/{provider.pk}/history/").status_code == 200


def test_a_stale_form_is_refused(admin_client: Client) -> None:
    provider = Provider.objects.filter(kind__code="childrens_home").first()
    assert provider is not None
    stale = _provider_form(provider, name="Oak House")
    Provider.objects.filter(pk=provider.pk).update(version=provider.version + 1)
    response = admin_client.post(f"/admin/registry/provider/{provider.pk}/change/", stale)
    assert response.status_code == 200
    assert "Someone else saved this record after you opened it" in response.content.decode()
    provider.refresh_from_db()
    assert provider.name != "Oak House"


def test_kept_records_cannot_be_deleted_or_reverted(
    admin_client: Client, partner: PartnerBody
) -> None:
    provider = Provider.objects.first()
    assert provider is not None
    inspector = Inspector.objects.create(
        full_name="Olive Own", inspectorate=Inspectorate.objects.get(code="OFSTED"), grade="lead"
    )
    kept = [("provider", provider.pk), ("area", partner.area_id), ("inspector", inspector.pk)]
    for model, pk in kept:
        assert admin_client.get(f"/admin/registry/{model}/{pk}/delete/").status_code == 403
    version = history(Provider, provider.pk)[0]
    url = f"/admin/registry/provider/{provider.pk}/history/{version.history_id}/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, _provider_form(provider)).status_code == 403
    # A partner body may go.
    response = admin_client.post(
        f"/admin/registry/partnerbody/{partner.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not PartnerBody.objects.filter(pk=partner.pk).exists()


def test_the_admin_needs_a_superuser_with_the_second_factor(registry: None) -> None:
    boss = User.objects.create_superuser(username="boss", email="boss@example.org")
    StaticDevice.objects.create(user=boss, name="Backup codes")
    response = client_for(boss, verified=False).get("/admin/registry/provider/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_inspector_edit_keeps_expertise_and_absences(admin_client: Client) -> None:
    from ecm_inspect.framework.models import Outcome

    inspector = Inspector.objects.create(
        full_name="Olive Own", inspectorate=Inspectorate.objects.get(code="OFSTED"), grade="lead"
    )
    outcomes = list(Outcome.objects.values_list("pk", flat=True)[:2])
    data = {
        "full_name": "Olive Own",
        "inspectorate": inspector.inspectorate_id,
        "grade": "lead",
        "home_region_code": "E12000001",
        "outcome_expertise": outcomes,
        "days_per_week": 3,
        "is_active": "on",
        "seen_version": 1,
        "absences-TOTAL_FORMS": 1,
        "absences-INITIAL_FORMS": 0,
        "absences-0-starts_on": "2026-12-21",
        "absences-0-ends_on": "2027-01-01",
        "absences-0-reason": "Leave",
    }
    url = f"/admin/registry/inspector/{inspector.pk}/change/"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    inspector.refresh_from_db()
    assert (inspector.days_per_week, inspector.version) == (3, 2)
    assert sorted(inspector.outcome_expertise.values_list("pk", flat=True)) == sorted(outcomes)
    assert inspector.absences.get().reason == "Leave"
