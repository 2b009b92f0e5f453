"""Who may see and record setting inspections, built from the one policy's predicates
(`ecm_inspect.accounts.rules`).

- Published inspection outcomes and the pooled evidence of an area are public: inspectors
  "report openly" (Framework principle (6)), and the outcomes imported here are open data.
- Inspections not yet published, the burden ledger and the calendar of planned inspections are
  for inspectorate staff only: the dates of unannounced visits must not leak.
- Recording or changing an inspection (and its judgements) needs an inspector or inspectorate
  lead of an inspectorate taking part in it, until it is published: a published inspection is
  the public record and cannot be changed. Publishing it is for the lead inspectorate's.
- Recording a visit or information request in the burden ledger needs an inspector or
  inspectorate lead (it is made in the name of their own inspectorate).
"""

from typing import Any

import rules

from ecm_inspect.accounts.rules import (
    is_inspector,
    is_inspectorate_lead,
    is_inspectorate_staff,
)


@rules.predicate
def is_published(user: Any, inspection: Any) -> bool:
    return inspection is not None and bool(getattr(inspection, "is_published", False))


@rules.predicate
def works_for_body_taking_part(user: Any, inspection: Any) -> bool:
    """The user works for the lead inspectorate or one of the others taking part."""
    body = getattr(user, "inspectorate_id", None)
    if inspection is None or body is None:
        return False
    if inspection.lead_inspectorate_id == body:
        return True
    return bool(inspection.other_inspectorates.filter(pk=body).exists())


@rules.predicate
def works_for_lead_body(user: Any, inspection: Any) -> bool:
    body = getattr(user, "inspectorate_id", None)
    return inspection is not None and body is not None and inspection.lead_inspectorate_id == body


records_inspections = is_inspector | is_inspectorate_lead

rules.add_perm("provision.view_settinginspection", is_published | is_inspectorate_staff)
rules.add_perm("provision.add_settinginspection", records_inspections)
rules.add_perm(
    "provision.change_settinginspection",
    records_inspections & works_for_body_taking_part & ~is_published,
)
rules.add_perm(
    "provision.publish_settinginspection",
    records_inspections & works_for_lead_body & ~is_published,
)
rules.add_perm("provision.add_inspectioncontact", records_inspections)
rules.add_perm("provision.view_pool", rules.always_allow)
rules.add_perm("provision.view_burden", is_inspectorate_staff)
rules.add_perm("provision.view_calendar", is_inspectorate_staff)
