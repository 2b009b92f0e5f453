"""`ecm framework export`: the catalogue as JSON or YAML."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from ecm_inspect.framework.services import LoadResult

pytestmark = pytest.mark.django_db


def export(*args: str) -> str:
    out = StringIO()
    call_command("framework", "export", *args, stdout=out)
    return out.getvalue()


def by_version(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["version"]: v for v in data["versions"]}


def test_json_export_counts(catalogue: LoadResult) -> None:
    data = json.loads(export("--format", "json"))
    versions = by_version(data)
    assert list(versions) == ["2005", "2004"]
    assert versions["2005"]["counts"] == {
        "outcomes": 5,
        "aims": 25,
        "key_judgements": 36,
        "service_contributions": 0,
        "principles": 8,
        "quality_management_steps": 6,
        "scope_rules": 5,
        "vulnerable_group_statements": {},
        "service_management_aspects": 0,
        "evidence_sources": {},
    }
    assert versions["2004"]["counts"] == {
        "outcomes": 5,
        "aims": 0,
        "key_judgements": 0,
        "service_contributions": 34,
        "principles": 12,
        "quality_management_steps": 0,
        "scope_rules": 0,
        "vulnerable_group_statements": {"children_in_care": 6, "ldd": 5},
        "service_management_aspects": 9,
        "evidence_sources": {"analysis": 7, "fieldwork": 8},
    }


def test_json_export_lists_agree_with_counts(catalogue: LoadResult) -> None:
    """The counts are computed separately from the lists: check the lists themselves."""
    versions = by_version(json.loads(export()))
    v2005, v2004 = versions["2005"], versions["2004"]
    assert [len(o["key_judgements"]) for o in v2005["outcomes"]] == [6, 8, 8, 7, 7]
    assert [len(o["aims"]) for o in v2005["outcomes"]] == [5] * 5
    assert [len(o["service_contributions"]) for o in v2004["outcomes"]] == [7, 7, 8, 7, 5]
    assert len(v2005["principles"]) == 8
    assert len(v2005["scope_rules"]) == 5
    steps = v2005["quality_management_steps"]
    assert [s["code"] for s in steps] == [f"QM.{n}" for n in range(1, 7)]
    assert steps == [
        {"code": f"QM.{n}", "text": text}
        for n, text in enumerate(v2005["principles"][2]["parts"][0]["statements"], 1)
    ]
    assert {g["code"]: len(g["statements"]) for g in v2004["vulnerable_groups"]} == {
        "CIC": 6,
        "SEND": 5,
    }
    assert len(v2004["service_management_aspects"]) == 9
    stages = [s["stage"] for s in v2004["evidence_sources"]]
    assert stages.count("analysis") == 7
    assert stages.count("fieldwork") == 8
    assert len(v2004["principles"]) == 12
    ss = v2005["outcomes"][1]
    assert ss["code"] == "SS"
    assert ss["key_judgements"][6] == {
        "code": "SS.7",
        "text": "looked after children live in safe environments and are protected from abuse "
        "and exploitation",
        "vulnerable_group": "children_in_care",
    }


def test_json_export_of_principles_keeps_parts(catalogue: LoadResult) -> None:
    v2005 = by_version(json.loads(export()))["2005"]
    p2 = v2005["principles"][1]
    assert p2["number"] == 2
    assert p2["heading"] == "Coverage of inspection"
    # Part 2 is an introduction without bullet points.
    assert [len(part["statements"]) for part in p2["parts"]] == [5, 0]
    assert p2["parts"][1]["introduction"].startswith("Contributions of services")


def test_json_export_has_grades_inspectorates_and_relevance(catalogue: LoadResult) -> None:
    data = json.loads(export("--format", "json"))
    assert [g["grade"] for g in data["grade_scale"]] == [4, 3, 2, 1]
    assert len(data["inspectorates"]) == 10
    assert {"code": "OFSTED", "name": "Office for Standards in Education (Ofsted)"} in data[
        "inspectorates"
    ]
    assert len(data["relevance"]) == 29
    yot = next(r for r in data["relevance"] if r["code"] == "youth_offending_team")
    assert yot["relevance"]["HMIC"] == ["PC.4", "PC.5"]


def test_yaml_export_is_the_same_data(catalogue: LoadResult) -> None:
    text = export("--format", "yaml")
    data = yaml.safe_load(text)
    assert data == json.loads(export("--format", "json"))
    assert "children’s" in text  # written as UTF-8, not escaped


def test_export_one_version(catalogue: LoadResult) -> None:
    data = json.loads(export("--version", "2005"))
    assert [v["version"] for v in data["versions"]] == ["2005"]
    assert "relevance" in data
    data = json.loads(export("--format", "json", "--version", "2004"))
    assert [v["version"] for v in data["versions"]] == ["2004"]
    assert "relevance" not in data  # the matrix belongs to the 2005 Framework


def test_export_unknown_version(catalogue: LoadResult) -> None:
    with pytest.raises(CommandError, match=r"There is no Framework version '1999' loaded\."):
        export("--version", "1999")


def test_export_to_a_file(catalogue: LoadResult, tmp_path: Path) -> None:
    path = tmp_path / "framework.yaml"
    assert export("--format", "yaml", "--output", str(path)) == ""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert by_version(data)["2005"]["counts"]["key_judgements"] == 36


def test_export_rejects_an_unknown_format(db: None) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        export("--format", "xml")
