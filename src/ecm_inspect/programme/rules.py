"""Who may see and do what in the programme of joint area reviews.

- The national lead (HMCI's office) plans, re-plans, approves, confirms each financial year
  and publishes the programme, and sees every team.
- An inspectorate lead sees the programme with their share: their own body's inspectors by
  name, the others by body only.
- Everyone, the public included, sees the published version: areas and dates, no names.
"""

import rules

from ecm_inspect.accounts.rules import is_inspectorate_lead, is_national_lead

rules.add_perm("programme.view_programme", is_national_lead | is_inspectorate_lead)
rules.add_perm("programme.view_all_teams", is_national_lead)
rules.add_perm("programme.view_risk", is_national_lead | is_inspectorate_lead)
rules.add_perm("programme.plan", is_national_lead)
rules.add_perm("programme.approve", is_national_lead)
rules.add_perm("programme.confirm_year", is_national_lead)
rules.add_perm("programme.publish", is_national_lead)
rules.add_perm("programme.view_published", rules.always_allow)
rules.add_perm("programme.view_assessments", is_national_lead | is_inspectorate_lead)
rules.add_perm("programme.record_assessments", is_national_lead)
