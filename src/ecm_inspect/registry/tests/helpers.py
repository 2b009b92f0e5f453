"""Helpers shared by the registry tests: the shipped files, edited copies, database snapshots."""

import csv
import io
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models

from ecm_inspect.registry.models import Area, PartnerBody, Provider, StatisticalNeighbour
from ecm_inspect.registry.services import DATA_DIR

AREAS_FILE = DATA_DIR / "areas_england_2024.csv"
CSC_FILE = DATA_DIR / "providers" / "ofsted_csc_providers_north_east_2025.csv"
SCHOOLS_FILE = DATA_DIR / "providers" / "gias_schools_north_east_2024.csv"


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text(csv_text(header, rows), encoding="utf-8")
    return path


def set_cell(header: list[str], row: list[str], column: str, value: str) -> list[str]:
    """A copy of `row` with one column's value replaced."""
    copy = list(row)
    copy[header.index(column)] = value
    return copy


def history(model: type[models.Model], pk: int | None = None) -> models.QuerySet[Any]:
    """The history rows of a registry model (or of one record), newest first."""
    historical = apps.get_model("registry", f"Historical{model.__name__}")
    rows = historical.objects.order_by("-history_date", "-history_id")
    return rows.filter(id=pk) if pk is not None else rows


def snapshot() -> dict[str, Any]:
    """Every registry row and history row, by value: equal before and after means untouched."""
    return {
        "areas": list(Area.objects.order_by("pk").values()),
        "area_history": history(Area).count(),
        "neighbours": list(
            StatisticalNeighbour.objects.order_by("pk").values_list("area", "neighbour", "rank")
        ),
        "providers": list(Provider.objects.order_by("pk").values()),
        "provider_history": history(Provider).count(),
        "partners": PartnerBody.objects.count(),
    }
