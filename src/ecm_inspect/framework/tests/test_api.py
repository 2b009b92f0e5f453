"""The REST API of the Framework catalogue, and its OpenAPI schema."""

import pytest
from django.test import Client

from ecm_inspect.framework.services import LoadResult

pytestmark = pytest.mark.django_db


def get_json(client: Client, url: str, status: int = 200) -> object:
    response = client.get(url)
    assert response.status_code == status, url
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_framework(client: Client, catalogue: LoadResult, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(7):
        data = get_json(client, "/api/framework/")
    assert isinstance(data, dict)
    assert data["version"] == "2005"
    assert [g["grade"] for g in data["grade_scale"]] == [4, 3, 2, 1]
    outcomes = data["outcomes"]
    assert [o["code"] for o in outcomes] == ["BH", "SS", "EA", "PC", "EW"]
    assert sum(len(o["key_judgements"]) for o in outcomes) == 36
    assert sum(len(o["aims"]) for o in outcomes) == 25
    assert outcomes[3]["aims_preamble"] == "Children and young people"
    assert outcomes[0]["key_judgements"][4] == {
        "code": "BH.5",
        "text": "looked after children’s health needs are addressed",
        "vulnerable_group": "children_in_care",
    }
    assert outcomes[0]["key_judgements"][0]["vulnerable_group"] == ""


def test_outcome_with_relevance(client: Client, catalogue: LoadResult) -> None:
    data = get_json(client, "/api/framework/outcomes/PC/")
    assert isinstance(data, dict)
    assert data["title"] == "Making a positive contribution"
    judgements = {kj["code"]: kj for kj in data["key_judgements"]}
    assert list(judgements) == [f"PC.{n}" for n in range(1, 8)]
    pc4 = {r["provider_kind"]: r["inspectorates"] for r in judgements["PC.4"]["relevant_to"]}
    assert pc4["Youth offending team"] == [
        "HM Inspectorate of Constabulary",
        "HM Inspectorate of Probation",
    ]
    assert "Hospital (acute or mental health trust)" not in pc4
    assert pc4["Council children's services (education and social care functions)"] == [
        "Commission for Social Care Inspection",
        "Office for Standards in Education (Ofsted)",
    ]


def test_outcome_lower_case_and_unknown(client: Client, catalogue: LoadResult) -> None:
    data = get_json(client, "/api/framework/outcomes/ew/")
    assert isinstance(data, dict)
    assert data["code"] == "EW"
    assert len(data["key_judgements"]) == 7
    get_json(client, "/api/framework/outcomes/XX/", status=404)


def test_relevance(client: Client, catalogue: LoadResult) -> None:
    rows = get_json(client, "/api/framework/relevance/")
    assert isinstance(rows, list)
    assert len(rows) == 29
    police = next(r for r in rows if r["code"] == "police_force")
    assert police == {
        "code": "police_force",
        "name": "Police force",
        "scope": "under_18",
        "relevance": {"HMIC": ["SS.1", "SS.3", "SS.4", "SS.5", "PC.4", "PC.5"]},
    }


def test_export(client: Client, catalogue: LoadResult) -> None:
    data = get_json(client, "/api/framework/export/")
    assert isinstance(data, dict)
    assert [v["version"] for v in data["versions"]] == ["2005", "2004"]
    data = get_json(client, "/api/framework/export/?version=2004")
    assert isinstance(data, dict)
    assert data["versions"][0]["counts"]["service_contributions"] == 34
    get_json(client, "/api/framework/export/?version=1999", status=404)


def test_openapi_schema(client: Client) -> None:
    schema = get_json(client, "/api/schema/")
    assert isinstance(schema, dict)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "ECM Inspect API"
    paths = schema["paths"]
    for path in [
        "/api/framework/",
        "/api/framework/outcomes/{code}/",
        "/api/framework/relevance/",
        "/api/framework/export/",
    ]:
        assert "get" in paths[path], path
    parameters = paths["/api/framework/outcomes/{code}/"]["get"]["parameters"]
    assert [(p["name"], p["in"]) for p in parameters] == [("code", "path")]
    assert "OutcomeDetailOut" in schema["components"]["schemas"]
