"""Who sees and does what in follow-up: the review's team and leads see it; the area's DCS and
partner contributors write the statement of proposed action and report progress, the DCS
submits it; the review's leader (or the national lead) finds it adequate or sends it back;
the inspectorates record monitoring visits; the national lead sees every overdue statement and
action and moves intervention cases on."""

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
rules.add_perm("followup.write_statement", area_staff)
rules.add_perm("followup.submit_statement", is_dcs & works_in_reviewed_area)
rules.add_perm("followup.decide_statement", is_national_lead | leads_the_review)
rules.add_perm("followup.report_progress", area_staff)
rules.add_perm("followup.record_visit", is_on_review_team | is_inspectorate_lead | is_national_lead)
rules.add_perm("followup.view_overview", is_national_lead | is_inspectorate_lead)
rules.add_perm("followup.move_intervention", is_national_lead)
