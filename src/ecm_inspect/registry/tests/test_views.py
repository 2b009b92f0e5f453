"""Registry pages: public, filterable, paginated, and a bounded number of queries."""

import datetime

import pytest
from django.test import Client
from django.utils.html import escape

from ecm_inspect.framework.models import ProviderKind
from ecm_inspect.registry.models import Area, PartnerBody, PartnerKind, Provider

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry")]


def test_areas_page_lists_every_area_by_region(
    client: Client, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(6):
        response = client.get("/areas/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<strong>153</strong> areas" in text
    assert text.count('class="govuk-table__caption govuk-table__caption--m"') == 9
    assert "Yorkshire and the Humber" in text
    assert 'href="/areas/E06000001/">Hartlepool</a>' in text
    assert "E08000038" in text  # Barnsley's current code


@pytest.mark.parametrize(
    ("query", "count", "shown", "hidden"),
    [
        ("region=E12000001", 12, "Hartlepool", "Camden"),
        ("region=London", 33, "Camden", "Hartlepool"),
        ("type=county+council", 21, "Kent", "Camden"),
        ("q=hartle", 1, "Hartlepool", "Camden"),
        ("q=805", 1, "Hartlepool", "Camden"),
        ("q=E08000016", 1, "Barnsley", "Hartlepool"),
    ],
)
def test_areas_page_filters(
    client: Client, query: str, count: int, shown: str, hidden: str
) -> None:
    text = client.get(f"/areas/?{query}").content.decode()
    assert f"<strong>{count}</strong> area" in text
    assert f">{shown}</a>" in text
    assert f">{hidden}</a>" not in text


def test_area_page(client: Client, django_assert_max_num_queries) -> None:
    area = Area.objects.get(gss_code="E06000047")
    PartnerBody.objects.create(area=area, kind=PartnerKind.POLICE, name="Durham Constabulary")
    with django_assert_max_num_queries(8):
        response = client.get("/areas/E06000047/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Durham</h1>' in text
    assert "840" in text
    assert "E12000001" in text
    homes = Provider.objects.filter(area=area, kind__code="childrens_home").count()
    assert homes > 0
    row = text.split('kind=childrens_home">Children&#x27;s home</a></th>')[1].split("</tr>")[0]
    assert f'govuk-table__cell--numeric">{homes}</td>' in row
    assert "Durham Constabulary" in text
    assert text.count('<li><a class="govuk-link" href="/areas/E0') == 10  # neighbours


def test_area_page_by_old_code_and_unknown(client: Client) -> None:
    assert b"Barnsley" in client.get("/areas/E08000016/").content
    assert client.get("/areas/E99999999/").status_code == 404


def test_providers_search_by_name_urn_and_postcode(client: Client) -> None:
    area = Area.objects.get(gss_code="E08000021")
    Provider.objects.create(
        urn="999001",
        name="Quayside Primary School",
        kind=ProviderKind.objects.get(code="primary_school"),
        area=area,
        postcode="NE1 3AF",
        closed_on=datetime.date(2020, 7, 31),
    )
    for query in ("q=quayside", "q=999001", "q=NE1+3AF", "q=ne13af", "q=NE1"):
        text = client.get(f"/providers/?{query}").content.decode()
        assert ">Quayside Primary School</a>" in text, query
        assert "Closed</strong>" in text
    assert b"1 provider<" in client.get("/providers/?q=999001").content
    assert b"No provider matches." in client.get("/providers/?q=NE9+9ZZ").content


def test_providers_pagination_keeps_the_filters(
    client: Client, django_assert_max_num_queries
) -> None:
    total = Provider.objects.count()
    with django_assert_max_num_queries(6):
        first = client.get("/providers/").content.decode()
    assert f"{total} providers, page 1 of {(total + 49) // 50}" in first
    assert 'href="?page=2" rel="next"' in first
    durham = Provider.objects.filter(area__gss_code="E06000047").count()
    text = client.get("/providers/?area=E06000047&page=2").content.decode()
    assert f"{durham} providers, page 2 of {(durham + 49) // 50}" in text
    assert 'href="?area=E06000047&amp;page=1" rel="prev"' in text
    names = [  # as the list shows them: never a bare URN
        p.display_name
        for p in Provider.objects.filter(area__gss_code="E06000047").order_by("name", "urn")
    ]
    body = text.split("<tbody")[1]
    assert escape(names[50]) in body
    assert escape(names[0]) not in body


def test_providers_filter_by_kind(client: Client) -> None:
    text = client.get("/providers/?kind=secure_childrens_home").content.decode()
    count = Provider.objects.filter(kind__code="secure_childrens_home").count()
    assert f"{count} provider" in text
    assert "Children&#x27;s home 2" not in text


def test_provider_page(client: Client) -> None:
    provider = Provider.objects.filter(kind__code="childrens_home").first()
    assert provider is not None
    response = client.get(f"/providers/{provider.urn}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert provider.urn in text
    assert provider.area.name in text
    assert "Ofsted does not publish the names and addresses" in text
    assert client.get("/providers/NOPE/").status_code == 404


def test_registry_sections_are_in_the_navigation_for_everyone(client: Client) -> None:
    text = client.get("/areas/").content.decode()
    assert 'href="/areas/"' in text
    assert 'href="/providers/"' in text
