"""Who may see and do what in the annual performance assessment.

- Inspectorate staff see every area's assessment; the assessing inspector (an inspector or
  inspectorate lead of Ofsted or CSCI, which ran the APA) and the national lead record grades.
- A council's DCS and its partner contributors see their own area's assessment, and write their
  own area's self-assessment; only the DCS submits it. They never see the proposals and their
  reasons; they see the recorded grades and the letter once it is issued to the council, and the
  DCS makes representations on its factual accuracy while it is issued.
- Anyone may read a published letter.
- The national lead sees and acknowledges intervention alerts, and logs critical incidents.
"""

from typing import Any

import rules

from ecm_inspect.accounts.rules import (
    is_dcs,
    is_inspector,
    is_inspectorate_lead,
    is_inspectorate_staff,
    is_national_lead,
    is_partner_contributor,
)
from ecm_inspect.registry.models import Area

# The bodies that carried out the APA of council education and social care services.
APA_INSPECTORATES = {"OFSTED", "CSCI"}


def _area_of(obj: Any) -> int | None:
    if isinstance(obj, Area):
        return int(obj.pk)
    return getattr(obj, "area_id", None)


@rules.predicate
def works_in_the_area(user: Any, obj: Any) -> bool:
    area = _area_of(obj)
    return area is not None and area == getattr(user, "area_id", None)


@rules.predicate
def works_for_an_apa_inspectorate(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    body = getattr(org, "inspectorate", None) if org is not None else None
    return body is not None and body.code in APA_INSPECTORATES


area_staff = is_dcs | is_partner_contributor


@rules.predicate
def letter_issued(user: Any, assessment: Any) -> bool:
    """The letter has left the inspectorate: issued to the council, or published."""
    return getattr(assessment, "letter_status", "draft") in {"issued", "published"}


@rules.predicate
def letter_open_for_representations(user: Any, assessment: Any) -> bool:
    return getattr(assessment, "letter_status", "draft") == "issued"


assessing_inspector = is_national_lead | (
    (is_inspector | is_inspectorate_lead) & works_for_an_apa_inspectorate
)

rules.add_perm("performance.view_assessment_list", is_inspectorate_staff)
rules.add_perm(
    "performance.view_assessment", is_inspectorate_staff | (area_staff & works_in_the_area)
)
rules.add_perm("performance.record_grade", assessing_inspector)
# The machine's proposals and their reasons are the inspectorate's working: the council and
# its partners see grades only as the assessing inspector recorded them, once the letter is
# issued to them.
rules.add_perm("performance.view_proposals", is_inspectorate_staff)
rules.add_perm(
    "performance.view_letter",
    is_inspectorate_staff | (area_staff & works_in_the_area & letter_issued),
)
rules.add_perm("performance.issue_letter", assessing_inspector)
rules.add_perm("performance.publish_letter", assessing_inspector)
rules.add_perm("performance.answer_representation", assessing_inspector)
rules.add_perm(
    "performance.make_representation",
    is_dcs & works_in_the_area & letter_open_for_representations,
)
rules.add_perm(
    "performance.view_self_assessment",
    is_inspectorate_staff | (area_staff & works_in_the_area),
)
rules.add_perm("performance.change_self_assessment", area_staff & works_in_the_area)
rules.add_perm("performance.submit_self_assessment", is_dcs & works_in_the_area)
rules.add_perm("performance.view_alerts", is_national_lead)
rules.add_perm("performance.log_incident", is_national_lead | is_inspectorate_lead)
rules.add_perm("performance.run_assessments", is_national_lead)
rules.add_perm("performance.set_calendar", is_national_lead)
