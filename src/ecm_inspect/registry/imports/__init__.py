"""Importing the registry from public files (CSV or XLSX): areas and providers.

Both imports are all or nothing (one transaction; any problem raises ImportFileError and
nothing is written), idempotent (an unchanged row is not written) and audited (every create and
update has its simple-history row). docs/registry.md describes the formats and mappings.
"""

from ecm_inspect.core.imports.common import Change, ImportResult
from ecm_inspect.core.imports.errors import ImportFileError, Problem

from .areas import areas_import
from .mapping import MAPPINGS_DIR, Mapping, mapping_load, mappings_shipped
from .providers import providers_import

__all__ = [
    "MAPPINGS_DIR",
    "Change",
    "ImportFileError",
    "ImportResult",
    "Mapping",
    "Problem",
    "areas_import",
    "mapping_load",
    "mappings_shipped",
    "providers_import",
]
