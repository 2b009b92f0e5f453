"""Who may handle complaints and read evaluations. Anyone may complain, without an account,
and answer a questionnaire through its link."""

import rules

from ecm_inspect.accounts.rules import is_inspectorate_lead, is_inspectorate_staff, is_national_lead

rules.add_perm("quality.view_complaints", is_national_lead | is_inspectorate_lead)
rules.add_perm("quality.handle_complaint", is_national_lead | is_inspectorate_lead)
rules.add_perm("quality.view_evaluation", is_inspectorate_staff)
