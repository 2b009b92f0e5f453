"""Who sees and updates follow-up: the review's team and leads see it, the team leader makes
the statement, the area's DCS and partners report progress; the national lead sees every
overdue action and intervention case."""

import rules

from ecm_inspect.accounts.rules import (
    is_dcs,
    is_inspectorate_lead,
    is_national_lead,
    is_partner_contributor,
)
from ecm_inspect.reviews.rules import is_on_review_team, leads_the_review, works_in_reviewed_area

area_staff = (is_dcs | is_partner_contributor) & works_in_reviewed_area

rules.add_perm(
    "followup.view_actions",
    is_on_review_team | is_national_lead | is_inspectorate_lead | area_staff,
)
rules.add_perm("followup.make_statement", is_national_lead | leads_the_review)
rules.add_perm("followup.report_progress", area_staff)
rules.add_perm("followup.view_overview", is_national_lead | is_inspectorate_lead)
