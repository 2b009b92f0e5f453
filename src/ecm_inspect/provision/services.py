"""Writes of setting inspections: recording an inspection, its judgements, publishing it, and
the visits and information requests of the burden ledger.

Imports of published outcomes are in `imports/` (`inspections_import`).
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ecm_inspect.core.concurrency import record_update
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import KeyJudgement, Relevance
from ecm_inspect.framework.selectors import in_force_code
from ecm_inspect.registry.models import Inspector, Inspectorate, Provider

from .models import (
    ContactKind,
    InspectedProvider,
    InspectionContact,
    InspectionStatus,
    Judgement,
    SettingInspection,
)


def relevant_codes(*, kind_id: int, inspectorate: str, version: str | None = None) -> set[str]:
    """The key judgement codes the relevance matrix of a Framework version (the one in force
    by default) lets `inspectorate` make when it inspects a provider of this kind."""
    return set(
        Relevance.objects.filter(
            provider_kind_id=kind_id,
            inspectorate=inspectorate,
            key_judgement__version__code=version or in_force_code(),
        ).values_list("key_judgement__code", flat=True)
    )


def bodies_taking_part(inspection: SettingInspection) -> list[Inspectorate]:
    return [inspection.lead_inspectorate, *inspection.other_inspectorates.all()]


PUBLISHED_IS_FINAL = (
    "This inspection is published: its record and judgements can no longer be changed."
)


def _refuse_if_published(inspection: SettingInspection) -> None:
    """A published outcome is the public record (Framework principle (6), "report openly"):
    nothing in it changes afterwards. Asks the database, not the copy in hand, which may have
    been read before someone published it."""
    published = SettingInspection.objects.filter(
        pk=inspection.pk, status=InspectionStatus.PUBLISHED
    )
    if inspection.is_published or published.exists():
        raise ValidationError({"status": [PUBLISHED_IS_FINAL]})


def _set_author(record: Any, by: Any) -> None:
    if by is not None and getattr(by, "is_authenticated", False):
        record._history_user = by


@transaction.atomic
def setting_inspection_create(
    *,
    providers: Sequence[Provider],
    lead_inspectorate: Inspectorate,
    starts_on: datetime.date,
    ends_on: datetime.date,
    statutory_framework: str,
    other_inspectorates: Iterable[Inspectorate] = (),
    inspectors: Iterable[Inspector] = (),
    visit_plan: str = "",
    status: InspectionStatus = InspectionStatus.PLANNED,
    children: Mapping[int, int] | None = None,
    by: Any = None,
) -> SettingInspection:
    """Create a setting inspection of one provider, or of the several services under one roof
    (a children's centre, an extended school) in one coordinated inspection.

    Refused (ValidationError naming the field) when there is no provider, the providers are in
    different areas, the dates run backwards, an inspector is not of a body taking part, or no
    body taking part may judge anything of a provider under the relevance matrix.
    """
    others = [b for b in other_inspectorates if b.pk != lead_inspectorate.pk]
    bodies = [lead_inspectorate, *others]
    errors: dict[str, list[str]] = {}
    if not providers:
        errors.setdefault("providers", []).append("Choose at least one provider.")
    elif len({p.area_id for p in providers}) > 1:
        errors.setdefault("providers", []).append(
            "One coordinated inspection covers services under one roof: the providers must be "
            "in the same area."
        )
    if ends_on < starts_on:
        errors.setdefault("ends_on", []).append("The inspection must end on or after its start.")
    if not statutory_framework.strip():
        errors.setdefault("statutory_framework", []).append(
            "Say which statutory framework the inspection is run under."
        )
    for provider in providers:
        if not any(relevant_codes(kind_id=provider.kind_id, inspectorate=b.code) for b in bodies):
            names = ", ".join(str(b) for b in bodies)
            errors.setdefault("providers", []).append(
                f"{provider.display_name}: no inspectorate taking part ({names}) may make any key "
                f"judgement about a {provider.kind.name.lower()} under the relevance matrix."
            )
    inspectors = list(inspectors)
    body_ids = {b.pk for b in bodies}
    for inspector in inspectors:
        if inspector.inspectorate_id not in body_ids:
            errors.setdefault("inspectors", []).append(
                f"{inspector.full_name} works for {inspector.inspectorate}, which is not taking "
                "part in this inspection."
            )
    if errors:
        raise ValidationError(errors)
    inspection = SettingInspection(
        lead_inspectorate=lead_inspectorate,
        starts_on=starts_on,
        ends_on=ends_on,
        statutory_framework=statutory_framework.strip(),
        visit_plan=visit_plan,
        status=status,
    )
    _set_author(inspection, by)
    inspection.save()
    for provider in providers:
        covered = InspectedProvider(
            inspection=inspection,
            provider=provider,
            children=(children or {}).get(provider.pk),
        )
        _set_author(covered, by)
        covered.save()
    inspection.other_inspectorates.set(others)
    inspection.inspectors.set(inspectors)
    return inspection


@transaction.atomic
def setting_inspection_update(
    *,
    inspection: SettingInspection,
    seen_version: int,
    changes: Mapping[str, Any],
    by: Any = None,
) -> SettingInspection:
    """Change the dates, status, framework or visit plan of an inspection, if nobody has saved
    it since `seen_version` (EditConflict otherwise). A published inspection is refused, and
    publishing goes through `setting_inspection_publish`."""
    _refuse_if_published(inspection)
    allowed = {"starts_on", "ends_on", "status", "statutory_framework", "visit_plan"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in unknown})
    if changes.get("status") == InspectionStatus.PUBLISHED:
        raise ValidationError({"status": ["Publish the inspection with its publish action."]})
    starts = changes.get("starts_on", inspection.starts_on)
    ends = changes.get("ends_on", inspection.ends_on)
    if ends < starts:
        raise ValidationError({"ends_on": ["The inspection must end on or after its start."]})
    return record_update(record=inspection, seen_version=seen_version, changes=changes, by=by)


@transaction.atomic
def setting_inspection_publish(
    *, inspection: SettingInspection, seen_version: int, published_on: datetime.date, by: Any
) -> SettingInspection:
    """Publish the outcome: from now on anyone may read the inspection and its judgements, and
    nobody may change them. Refused if it is already published or has no judgement yet."""
    _refuse_if_published(inspection)
    if not inspection.judgements.exists():
        raise ValidationError({"status": ["Record at least one judgement before publishing."]})
    return record_update(
        record=inspection,
        seen_version=seen_version,
        changes={"status": InspectionStatus.PUBLISHED, "published_on": published_on},
        by=by,
    )


def _relevance_message(
    *, key_judgement: KeyJudgement, provider: Provider, inspectorate: Inspectorate
) -> str:
    allowed = sorted(
        relevant_codes(
            kind_id=provider.kind_id,
            inspectorate=inspectorate.code,
            version=key_judgement.version.code,
        )
    )
    kind = provider.kind.name.lower()
    which = (
        f"it may judge only {', '.join(allowed)}"
        if allowed
        else "it makes no key judgements about this kind of provider"
    )
    return (
        f"{key_judgement.code} is not relevant to a {kind} inspected by {inspectorate}: the "
        f"relevance matrix does not list it for {inspectorate} at a {kind} ({which})."
    )


@transaction.atomic
def judgement_record(
    *,
    inspection: SettingInspection,
    provider: Provider,
    inspectorate: Inspectorate,
    key_judgement: KeyJudgement,
    grade: Grade | None,
    not_judged_reason: str = "",
    evidence_notes: str = "",
    criteria: str = "",
    by: Any = None,
    seen_version: int | None = None,
) -> Judgement:
    """Record (or change) the finding of `inspectorate` on one key judgement for one provider
    of the inspection: a grade, or "not judged" with the reason.

    Refused with a ValidationError naming the field when the key judgement is not one the
    relevance matrix marks as relevant to the provider's kind and the inspectorate, when the
    provider is not covered by the inspection or the inspectorate is not taking part, or when
    there is neither a grade nor a reason. Changing a recorded judgement needs the version the
    change was made from (EditConflict if someone saved in between).
    """
    _refuse_if_published(inspection)
    errors: dict[str, list[str]] = {}
    if not inspection.inspected.filter(provider=provider).exists():
        errors["provider"] = [f"{provider.display_name} is not covered by this inspection."]
    if inspectorate.pk not in {b.pk for b in bodies_taking_part(inspection)}:
        errors["inspectorate"] = [f"{inspectorate} is not taking part in this inspection."]
    if key_judgement.code not in relevant_codes(
        kind_id=provider.kind_id, inspectorate=inspectorate.code, version=key_judgement.version.code
    ):
        errors["key_judgement"] = [
            _relevance_message(
                key_judgement=key_judgement, provider=provider, inspectorate=inspectorate
            )
        ]
    reason = not_judged_reason.strip()
    if grade is None and not reason:
        errors["grade"] = ["Choose a grade, or say why this judgement was not made."]
    if grade is not None and reason:
        errors["not_judged_reason"] = ["Give a reason only when the judgement was not made."]
    if grade is not None and not isinstance(grade, Grade):
        errors["grade"] = ["A grade must be on the Framework's four-point scale."]
    if errors:
        raise ValidationError(errors)
    values = {
        "grade": grade,
        "not_judged_reason": reason,
        "evidence_notes": evidence_notes,
        "criteria": criteria,
        "author": by if getattr(by, "is_authenticated", False) else None,
    }
    current = Judgement.objects.filter(
        inspection=inspection,
        provider=provider,
        inspectorate=inspectorate,
        key_judgement=key_judgement,
    ).first()
    if current is not None:
        if seen_version is None:
            raise ValidationError(
                {"version": [f"{key_judgement.code} is already recorded: change it instead."]}
            )
        return record_update(record=current, seen_version=seen_version, changes=values, by=by)
    judgement = Judgement(
        inspection=inspection,
        provider=provider,
        inspectorate=inspectorate,
        key_judgement=key_judgement,
        **values,
    )
    _set_author(judgement, by)
    judgement.save()
    return judgement


@transaction.atomic
def inspection_contact_record(
    *,
    provider: Provider,
    inspectorate: Inspectorate,
    kind: ContactKind,
    starts_on: datetime.date,
    description: str,
    ends_on: datetime.date | None = None,
    inspection: SettingInspection | None = None,
    by: Any = None,
) -> InspectionContact:
    """Record a visit or an information request in the burden ledger (principle (5)), made by
    `inspectorate` of `provider`, as part of `inspection` if given (which must cover it)."""
    errors: dict[str, list[str]] = {}
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = ["It must end on or after its start."]
    if not description.strip():
        errors["description"] = ["Say what was asked for or visited."]
    if inspection is not None and not inspection.inspected.filter(provider=provider).exists():
        errors["inspection"] = [f"That inspection does not cover {provider.display_name}."]
    if errors:
        raise ValidationError(errors)
    contact = InspectionContact(
        provider=provider,
        inspectorate=inspectorate,
        inspection=inspection,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
    )
    _set_author(contact, by)
    contact.save()
    return contact
