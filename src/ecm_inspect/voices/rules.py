"""Who may see and run a review's survey of children and young people.

- The survey's set-up, exact results and children's (redacted) words are the team's
  confidential material: the review team, its inspectorate leads and the national lead.
- The team leader (or the national lead) sets it up, samples schools, opens and closes it.
- Concerns raised by children go to the named safeguarding contact and the team leader only.
- Published (suppressed) results: anyone who may see the review, e.g. the area's director.
- Children need no account: they reach their pages by their school's code; parents and
  carers reach their proforma by the review's code on the team's leaflet.
- The parents' and carers' results (suppressed, with their redacted words) and the coverage
  panel are the team's: nothing from the proforma leaves the team except as counts in
  evidence items.
"""

from typing import Any

import rules

from ecm_inspect.accounts.rules import is_inspectorate_lead, is_national_lead, passed_second_factor
from ecm_inspect.reviews.rules import (
    area_staff,
    is_notified,
    is_on_review_team,
    leads_the_review,
    works_in_reviewed_area,
)


@rules.predicate
def is_safeguarding_contact(user: Any, obj: Any) -> bool:
    survey = getattr(getattr(obj, "review", obj), "survey", None) if obj is not None else None
    return (
        survey is not None
        and passed_second_factor(user)
        and survey.safeguarding_contact_id == user.pk
    )


team_side = is_national_lead | is_inspectorate_lead | is_on_review_team
rules.add_perm("voices.view_survey", team_side)
rules.add_perm("voices.manage_survey", is_national_lead | leads_the_review)
rules.add_perm("voices.record_views", is_national_lead | is_on_review_team)
rules.add_perm("voices.view_parents_results", team_side)
rules.add_perm("voices.view_concerns", is_safeguarding_contact | leads_the_review)
rules.add_perm(
    "voices.view_published_results",
    team_side | (area_staff & works_in_reviewed_area & is_notified),
)
