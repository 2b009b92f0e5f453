"""Who may see and change a review's evidence.

The review team's confidential area: case files, case-file notes and tracked children are seen
by the review's team only, while they are on it (not even the national lead). Other evidence and
the analysis are seen by the team, the national lead and inspectorate leads. The area's DCS and
partners see the requests addressed to their area (once notified) and answer them.
"""

import rules

from ecm_inspect.accounts.rules import (
    is_dcs,
    is_inspectorate_lead,
    is_national_lead,
    is_partner_contributor,
)
from ecm_inspect.reviews.rules import is_notified, is_on_review_team, works_in_reviewed_area

area_staff = (is_dcs | is_partner_contributor) & works_in_reviewed_area & is_notified

rules.add_perm(
    "evidence.view_evidence", is_on_review_team | is_national_lead | is_inspectorate_lead
)
rules.add_perm("evidence.change_evidence", is_on_review_team)
rules.add_perm("evidence.view_case_files", is_on_review_team)
rules.add_perm("evidence.change_case_files", is_on_review_team)
rules.add_perm(
    "evidence.view_requests",
    is_on_review_team | is_national_lead | is_inspectorate_lead | area_staff,
)
rules.add_perm("evidence.supply_request", area_staff)
