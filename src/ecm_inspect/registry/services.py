"""Writes to the registry: loading the shipped reference data and the demo's inspectors.

Imports of public files are in `imports/` (`areas_import`, `providers_import`).
"""

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from ecm_inspect.framework.models import Outcome, ProviderKind, Relevance

from .imports import ImportResult, areas_import, providers_import
from .models import Area, Inspector, Inspectorate

DATA_DIR = Path(__file__).resolve().parent / "data"
AREAS_FILE = DATA_DIR / "areas_england_2024.csv"
PROVIDER_FILES = (
    DATA_DIR / "providers" / "ofsted_csc_providers_north_east_2025.csv",
    DATA_DIR / "providers" / "gias_schools_north_east_2024.csv",
)
DEMO_INSPECTORS_FILE = DATA_DIR / "demo_inspectors.yaml"


@transaction.atomic
def inspectorates_load(*, path: Path = DATA_DIR / "inspectorates.yaml") -> int:
    """Create or update the ten inspectorates from the shipped file; returns how many changed."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    changed = 0
    for item in data["inspectorates"]:
        values = {k: v for k, v in item.items() if k != "code"}
        current = Inspectorate.objects.filter(code=item["code"]).first()
        if current is None:
            Inspectorate.objects.create(code=item["code"], **values)
            changed += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            current.save()
            changed += 1
    return changed


def areas_load() -> ImportResult:
    """The 153 shipped children's services authorities (idempotent)."""
    return areas_import(path=AREAS_FILE)


def providers_load() -> list[ImportResult]:
    """The shipped providers of one region, the North East (idempotent)."""
    return [providers_import(path=path) for path in PROVIDER_FILES]


@transaction.atomic
def demo_inspectors_ensure(*, path: Path = DEMO_INSPECTORS_FILE) -> int:
    """Create the demo's made-up inspectors that are missing; returns how many were created.

    Each has the expertise its body's key judgements cover in the relevance matrix: the
    outcomes of those judgements and the provider kinds they apply to. Inspectors already there
    (by name and body) are left as they are, edits included.
    """
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    bodies = {i.code: i for i in Inspectorate.objects.all()}
    regions = dict(Area.objects.values_list("region_name", "region_code").distinct())
    existing = set(Inspector.objects.values_list("full_name", "inspectorate__code"))
    created = 0
    for item in data["inspectors"]:
        if (item["name"], item["inspectorate"]) in existing:
            continue
        inspector = Inspector.objects.create(
            full_name=item["name"],
            inspectorate=bodies[item["inspectorate"]],
            grade=item["grade"],
            home_region_code=regions.get(item["region"], ""),
            is_synthetic=True,
        )
        relevant = Relevance.objects.filter(inspectorate=item["inspectorate"])
        inspector.outcome_expertise.set(
            Outcome.objects.filter(key_judgements__relevance__in=relevant).distinct()
        )
        inspector.provider_kind_expertise.set(
            ProviderKind.objects.filter(relevance__in=relevant).distinct()
        )
        created += 1
    return created
