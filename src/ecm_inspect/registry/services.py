"""Writes to the registry: loading the shipped reference data."""

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from .models import Inspectorate

DATA_DIR = Path(__file__).resolve().parent / "data"


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
