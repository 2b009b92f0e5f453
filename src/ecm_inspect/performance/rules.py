"""Who may see and do what in the annual performance assessment.

- Inspectorate staff see every area's assessment; the assessing inspector (an inspector or
  inspectorate lead of Ofsted or CSCI, which ran the APA) and the national lead record grades.
- A council's DCS and its partner contributors see their own area's assessment and letter, and
  write their own area's self-assessment; only the DCS submits it.
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

rules.add_perm("performance.view_assessment_list", is_inspectorate_staff)
rules.add_perm(
    "performance.view_assessment", is_inspectorate_staff | (area_staff & works_in_the_area)
)
rules.add_perm(
    "performance.record_grade",
    is_national_lead | ((is_inspector | is_inspectorate_lead) & works_for_an_apa_inspectorate),
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
