"""Importing published inspection outcomes (Ofsted children's social care, schools, area SEND)
with the registry's import machinery: all or nothing, idempotent, row and column errors."""

from .inspections import inspections_import
from .mapping import MAPPINGS_DIR, InspectionMapping, inspection_mapping_load

__all__ = ["MAPPINGS_DIR", "InspectionMapping", "inspection_mapping_load", "inspections_import"]
