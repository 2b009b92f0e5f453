"""The demo's made-up inspectors, two or three per inspectorate (docs/registry.md)."""

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from ecm_inspect.framework.models import Outcome, ProviderKind, Relevance

from .models import Area, Inspector, Inspectorate
from .services import DATA_DIR

DEMO_INSPECTORS_FILE = DATA_DIR / "demo_inspectors.yaml"


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
