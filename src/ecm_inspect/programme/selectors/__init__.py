"""Reads for the programme, by sub-domain: each area's corporate assessments and its reviews and
inspections side by side (`areas`), the scheduling problem built from the registry, setting
inspections, corporate assessments and the previous version (`planning`), what each person may
see of a version (`versions`), and the programme on the start page (`work`)."""

# Read by the views and the API from here, as before the split.
from ..risk_evidence import GRADE_WORDS, area_risks
from .areas import area_side_by_side, corporate_assessments_in_force
from .planning import financial_year, held_reviews, problem_build
from .versions import (
    current_version,
    document_for_user,
    job_data,
    job_get_for_user,
    moved_rows,
    published_version,
    slot_rows,
    version_get_for_user,
    versions_for_user,
)
from .work import programme_work_for_user, risk_year

__all__ = [
    "GRADE_WORDS",
    "area_risks",
    "area_side_by_side",
    "corporate_assessments_in_force",
    "current_version",
    "document_for_user",
    "financial_year",
    "held_reviews",
    "job_data",
    "job_get_for_user",
    "moved_rows",
    "problem_build",
    "programme_work_for_user",
    "published_version",
    "risk_year",
    "slot_rows",
    "version_get_for_user",
    "versions_for_user",
]
