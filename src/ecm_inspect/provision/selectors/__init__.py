"""Reads of setting inspections, by sub-domain: access-checked fetches (`access`), the pooled
evidence of an area, used later by APA and joint area reviews (`pool`, built from the reads in
`queries` into the records of `records`), the burden ledger and the calendar of planned
inspections (`burden`)."""

from .access import (
    JudgementChoice,
    judgements_of,
    provider_history,
    relevant_judgements,
    setting_inspection_get_for_user,
    setting_inspections_for_user,
)
from .burden import Ledger, LedgerEntry, burden_ledger, planned_inspections
from .pool import area_pool, areas_pool
from .records import (
    CONFLICT_GAP,
    GRADES,
    GRADES_BEST_FIRST,
    RECENT_YEARS,
    AreaPool,
    Conflict,
    Finding,
    Gap,
    GroupPool,
    KeyJudgementPool,
    OutcomePool,
    years_before,
)

__all__ = [
    "CONFLICT_GAP",
    "GRADES",
    "GRADES_BEST_FIRST",
    "RECENT_YEARS",
    "AreaPool",
    "Conflict",
    "Finding",
    "Gap",
    "GroupPool",
    "JudgementChoice",
    "KeyJudgementPool",
    "Ledger",
    "LedgerEntry",
    "OutcomePool",
    "area_pool",
    "areas_pool",
    "burden_ledger",
    "judgements_of",
    "planned_inspections",
    "provider_history",
    "relevant_judgements",
    "setting_inspection_get_for_user",
    "setting_inspections_for_user",
    "years_before",
]
