"""The published outcomes the demo shows: its region's providers and the area SEND
inspections (docs/provision.md)."""

from pathlib import Path

from ecm_inspect.registry.imports import ImportResult
from ecm_inspect.registry.services import PROVIDER_FILES

from .imports import inspections_import

DEMO_OUTCOME_FILES = (
    PROVIDER_FILES[0],  # Ofsted children's social care, North East, as at 31 March 2025
    PROVIDER_FILES[1],  # the schools register's ratings, North East, April 2024
    Path(__file__).resolve().parent
    / "data"
    / "outcomes"
    / "ofsted_cqc_area_send_inspections_latest.csv",
)


def demo_outcomes_load() -> list[ImportResult]:
    """The published outcomes of the demo region's providers, and the area SEND inspections
    (idempotent: a second run changes nothing)."""
    return [inspections_import(path=path) for path in DEMO_OUTCOME_FILES]
