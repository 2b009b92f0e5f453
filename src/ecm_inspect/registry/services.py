"""Writes to the registry: loading the shipped reference data (the demo's inspectors: demo.py).

Imports of public files are in `imports/` (`areas_import`, `providers_import`).
"""

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from .imports import ImportResult, areas_import, providers_import
from .models import Inspectorate

DATA_DIR = Path(__file__).resolve().parent / "data"
AREAS_FILE = DATA_DIR / "areas_england_2024.csv"
PROVIDER_FILES = (
    DATA_DIR / "providers" / "ofsted_csc_providers_north_east_2025.csv",
    DATA_DIR / "providers" / "gias_schools_north_east_2024.csv",
)


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
