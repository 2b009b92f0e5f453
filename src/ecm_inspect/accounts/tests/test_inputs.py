"""Input at the edge: bounded path parameters, whole numbers, NUL refused, the service's pages."""

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from ecm_inspect.accounts.models import Role
from ecm_inspect.core.inputs import MAX_ID, whole_number

from .world import client_for, world_build


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", 12),
        (" 3 ", 3),
        ("0", 0),
        ("²", None),  # isdigit(), but int() refuses it
        ("١٢", None),  # int() takes Arabic-Indic digits; a score typed as such is not meant
        ("-1", None),
        ("2147483648", None),  # past an integer column
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_whole_number_takes_ascii_digits_within_bounds(
    text: str | None, number: int | None
) -> None:
    assert whole_number(text) == number


def test_whole_number_bounds_are_the_callers() -> None:
    assert whole_number("-1", low=-5) == -1
    assert whole_number(str(MAX_ID), high=MAX_ID) == MAX_ID
    assert whole_number(str(MAX_ID + 1), high=MAX_ID) is None


@pytest.mark.parametrize(
    "path",
    [
        "/reviews/0/",
        f"/reviews/{2**63}/",
        f"/reviews/{2**64}/",
        "/national/0/",
        "/national/1/",
        "/national/99999/",
        f"/programme/risk/{2**31}/",
    ],
)
def test_a_path_parameter_out_of_range_matches_no_url(path: str) -> None:
    with pytest.raises(Resolver404):
        resolve(path)


def test_ids_and_years_in_range_resolve() -> None:
    assert resolve(f"/reviews/{MAX_ID}/").kwargs == {"review_id": MAX_ID}
    assert resolve("/national/2007/").kwargs == {"year": 2007}


@pytest.mark.django_db
def test_a_nul_is_refused_with_the_services_page() -> None:
    """PostgreSQL refuses NUL in text and SQLite does not: refused before either sees it."""
    client = Client(raise_request_exception=False)
    for response in (
        client.get("/s/%00/"),
        client.get("/areas/?q=%00"),
        client.post(
            reverse("quality:complaint-new"),
            "description=late%00",
            "application/x-www-form-urlencoded",
        ),
    ):
        assert response.status_code == 400
        assert "There is a problem with the request" in response.content.decode()
    for response in (
        client.get("/api/registry/areas/%00/"),
        client.post("/api/reviews/1/advance/", '{"note": "\\u0000"}', "application/json"),
    ):
        assert response.status_code == 400
        assert response.json() == {"detail": "A NUL character is not allowed."}


@pytest.mark.django_db
def test_not_found_is_the_services_page() -> None:
    response = Client().get("/national/0/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "govuk-template" in page  # the service's layout, not Django's bare page


@pytest.mark.django_db
def test_the_api_answers_422_for_an_id_out_of_range() -> None:
    response = Client().get(f"/api/reports/published/{2**63}/")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "review_id"]


@pytest.mark.django_db
def test_refused_is_the_services_page() -> None:
    """Someone signed in whose role does not allow a page sees the service's page saying so."""
    world = world_build()
    response = client_for(world.users[Role.INSPECTOR]).get("/audit/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot do this" in page
    assert "govuk-template" in page
