"""The registry API: public, filtered, paginated lists and details of areas and providers."""

import pytest
from django.test import Client

from ecm_inspect.registry.models import Provider

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry")]


def test_area_list_paginates(client: Client) -> None:
    first = client.get("/api/registry/areas/?limit=100").json()
    second = client.get("/api/registry/areas/?limit=100&offset=100").json()
    assert (first["count"], len(first["items"]), len(second["items"])) == (153, 100, 53)
    names = [a["name"] for a in first["items"] + second["items"]]
    assert names == sorted(names)
    assert len(set(names)) == 153
    assert client.get("/api/registry/areas/?limit=100000").json()["limit"] == 200


@pytest.mark.parametrize(
    ("query", "count", "first"),
    [
        ("region=E12000001", 12, "Darlington"),
        ("region=north+east", 12, "Darlington"),
        ("type=London+borough", 32, "Barking and Dagenham"),
        ("q=E08000019", 1, "Sheffield"),
        ("q=sheff", 1, "Sheffield"),
    ],
)
def test_area_list_filters(client: Client, query: str, count: int, first: str) -> None:
    data = client.get(f"/api/registry/areas/?{query}").json()
    assert data["count"] == count
    assert data["items"][0]["name"] == first


def test_area_detail(client: Client, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(6):
        data = client.get("/api/registry/areas/E06000047/").json()
    assert (data["name"], data["la_code"], data["area_type"]) == (
        "Durham",
        "840",
        "unitary authority",
    )
    assert len(data["statistical_neighbours"]) == 10
    kinds = {k["kind"]: k["count"] for k in data["providers_by_kind"]}
    assert (
        kinds["childrens_home"]
        == Provider.objects.filter(area__gss_code="E06000047", kind__code="childrens_home").count()
    )
    assert sum(kinds.values()) == Provider.objects.filter(area__gss_code="E06000047").count()
    assert client.get("/api/registry/areas/E08000016/").json()["name"] == "Barnsley"
    assert client.get("/api/registry/areas/NOPE/").status_code == 404


def test_provider_list_filters_and_paginates(client: Client) -> None:
    all_ne = client.get("/api/registry/providers/?region=North+East&limit=10").json()
    assert all_ne["count"] == Provider.objects.count() == 372
    assert len(all_ne["items"]) == 10
    durham = client.get("/api/registry/providers/?area=E06000047&kind=childrens_home").json()
    assert durham["count"] > 0
    assert {(p["area"], p["kind"]) for p in durham["items"]} == {("E06000047", "childrens_home")}
    urn = durham["items"][0]["urn"]
    found = client.get(f"/api/registry/providers/?q={urn}").json()
    assert [p["urn"] for p in found["items"]] == [urn]
    assert client.get("/api/registry/providers/?region=London").json()["count"] == 0
    page2 = client.get("/api/registry/providers/?limit=5&offset=5").json()["items"]
    page1 = client.get("/api/registry/providers/?limit=10").json()["items"]
    assert page2 == page1[5:]


def test_provider_detail(client: Client) -> None:
    provider = Provider.objects.filter(kind__code="special_school").first()
    assert provider is not None
    data = client.get(f"/api/registry/providers/{provider.urn}/").json()
    assert data["urn"] == provider.urn
    assert data["kind"] == "special_school"
    assert data["source"] == "gias-schools-rating"
    assert data["version"] == 1
    assert client.get("/api/registry/providers/NOPE/").status_code == 404


def test_inspectorates(client: Client) -> None:
    data = client.get("/api/registry/inspectorates/").json()
    assert len(data) == 10
    assert {"code": "HMCPSI"}.items() <= next(i for i in data if i["code"] == "HMCPSI").items()
    assert not next(i for i in data if i["code"] == "HMCPSI")["takes_part_in_joint_area_reviews"]
