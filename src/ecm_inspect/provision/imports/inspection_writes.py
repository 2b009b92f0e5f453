"""Writing an import of setting inspections, once every row is read and checked: area
partnerships the registry lacked, then the plan of what is new and what changed, then the
writes (with history), all in the import's one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ecm_inspect.registry.imports import Change, ImportResult
from ecm_inspect.registry.models import Inspectorate, Provider

from ..models import InspectedProvider, InspectionStatus, Judgement, SettingInspection
from .mapping import InspectionMapping

if TYPE_CHECKING:
    from .inspections import _Event, _Parser

BATCH_SIZE = 1000


def _area_providers_add(
    parser: _Parser, mapping: InspectionMapping, reason: str, user: Any
) -> None:
    """Area partnerships (the providers of area-wide inspections) the registry did not have."""
    if not parser.new_area_providers or parser.area_kind_id is None:
        return
    created = [
        Provider(
            urn=p.urn,
            name=p.name,
            kind_id=parser.area_kind_id,
            area_id=p.area_id,
            source=mapping.name,
        )
        for p in parser.new_area_providers.values()
    ]
    bulk_create_with_history(
        created,
        Provider,
        batch_size=BATCH_SIZE,
        default_user=user,
        default_change_reason=reason,
    )


@dataclass
class _Plan:
    """What an import will write: inspections and judgements to create and to change."""

    provider_ids: dict[str, int]
    lead: Inspectorate
    others: list[Inspectorate]
    new_inspections: list[tuple[SettingInspection, _Event]] = field(default_factory=list)
    changed_inspections: list[SettingInspection] = field(default_factory=list)
    new_judgements: list[Judgement] = field(default_factory=list)
    changed_judgements: list[Judgement] = field(default_factory=list)


def _current_grades(mapping: InspectionMapping) -> dict[int, dict[tuple[int, int], Judgement]]:
    """The judgements already imported from this mapping, by inspection, provider and key
    judgement."""
    current: dict[int, dict[tuple[int, int], Judgement]] = {}
    for j in Judgement.objects.filter(inspection__source=mapping.name).only(
        "pk",
        "inspection_id",
        "provider_id",
        "key_judgement_id",
        "grade",
        "source_grade",
        "version",
    ):
        current.setdefault(j.inspection_id, {})[(j.provider_id, j.key_judgement_id)] = j
    return current


def _judgements_compare(
    plan: _Plan,
    event: _Event,
    inspection: SettingInspection,
    had: dict[tuple[int, int], Judgement],
    diffs: dict[str, tuple[Any, Any]],
) -> None:
    """An inspection held already: its judgements added or changed by the file."""
    provider_id = plan.provider_ids[event.provider_key]
    for kj_id, (grade, published) in event.grades.items():
        found = had.get((provider_id, kj_id))
        if found is None:
            plan.new_judgements.append(
                Judgement(
                    inspection=inspection,
                    provider_id=provider_id,
                    inspectorate=plan.lead,
                    key_judgement_id=kj_id,
                    grade=grade,
                    source_grade=published,
                )
            )
            diffs.setdefault("judgements", (None, "added"))
        elif found.grade != grade or found.source_grade != published:
            diffs[f"grade {kj_id}"] = (found.grade, grade)
            found.grade, found.source_grade = grade, published
            found.version += 1
            plan.changed_judgements.append(found)


def _plan(parser: _Parser, mapping: InspectionMapping, result: ImportResult) -> _Plan:
    """Each inspection of the file against what this mapping imported before: new, changed
    (noted with what changed) or unchanged."""
    bodies = {
        b.code: b
        for b in Inspectorate.objects.filter(
            code__in=[mapping.inspectorate, *mapping.others_taking_part]
        )
    }
    plan = _Plan(
        provider_ids=dict(
            Provider.objects.filter(
                urn__in={e.provider_key for e in parser.events.values()}
            ).values_list("urn", "pk")
        ),
        lead=bodies[mapping.inspectorate],
        others=[bodies[c] for c in mapping.others_taking_part],
    )
    existing = {
        i.source_reference: i for i in SettingInspection.objects.filter(source=mapping.name)
    }
    current_grades = _current_grades(mapping)
    for event in parser.events.values():
        values: dict[str, Any] = {
            "starts_on": event.starts_on,
            "ends_on": event.starts_on,
            "published_on": event.published_on,
            "date_is_estimate": event.estimate,
        }
        inspection = existing.get(event.reference)
        if inspection is None:
            inspection = SettingInspection(
                lead_inspectorate=plan.lead,
                status=InspectionStatus.PUBLISHED,
                statutory_framework=mapping.statutory_framework[:200],
                source=mapping.name,
                source_reference=event.reference,
                published_by=mapping.published_by,
                **values,
            )
            plan.new_inspections.append((inspection, event))
            result.note(Change(event.reference, "create", {}))
            continue
        diffs: dict[str, tuple[Any, Any]] = {
            k: (getattr(inspection, k), v) for k, v in values.items() if getattr(inspection, k) != v
        }
        _judgements_compare(plan, event, inspection, current_grades.get(inspection.pk, {}), diffs)
        if not diffs:
            result.unchanged += 1
            continue
        for k, (_, v) in list(diffs.items()):
            if k in values:
                setattr(inspection, k, v)
        inspection.version += 1
        plan.changed_inspections.append(inspection)
        result.note(Change(event.reference, "update", diffs))
    return plan


def _inspections_create(plan: _Plan, mapping: InspectionMapping, reason: str, user: Any) -> None:
    """The new inspections, the providers they cover, the other inspectorates taking part; their
    judgements join the plan's new judgements."""
    made = bulk_create_with_history(
        [i for i, _ in plan.new_inspections],
        SettingInspection,
        batch_size=BATCH_SIZE,
        default_user=user,
        default_change_reason=reason,
    )
    if made and made[0].pk is None:  # a database that does not return keys
        refs = [i.source_reference for i in made]
        keys = dict(
            SettingInspection.objects.filter(
                source=mapping.name, source_reference__in=refs
            ).values_list("source_reference", "pk")
        )
        for i in made:
            i.pk = keys[i.source_reference]
    covered = []
    through = SettingInspection.other_inspectorates.through
    links = []
    for inspection, event in plan.new_inspections:
        provider_id = plan.provider_ids[event.provider_key]
        covered.append(
            InspectedProvider(
                inspection_id=inspection.pk, provider_id=provider_id, children=event.children
            )
        )
        links += [
            through(settinginspection_id=inspection.pk, inspectorate_id=b.pk) for b in plan.others
        ]
        for kj_id, (grade, published) in event.grades.items():
            plan.new_judgements.append(
                Judgement(
                    inspection_id=inspection.pk,
                    provider_id=provider_id,
                    inspectorate=plan.lead,
                    key_judgement_id=kj_id,
                    grade=grade,
                    source_grade=published,
                )
            )
    bulk_create_with_history(
        covered,
        InspectedProvider,
        batch_size=BATCH_SIZE,
        default_user=user,
        default_change_reason=reason,
    )
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)


def inspections_write(
    parser: _Parser, mapping: InspectionMapping, result: ImportResult, reason: str, user: Any
) -> None:
    _area_providers_add(parser, mapping, reason, user)
    plan = _plan(parser, mapping, result)
    if plan.new_inspections:
        _inspections_create(plan, mapping, reason, user)
    history = {"batch_size": BATCH_SIZE, "default_user": user, "default_change_reason": reason}
    if plan.changed_inspections:
        bulk_update_with_history(
            plan.changed_inspections,
            SettingInspection,
            fields=["starts_on", "ends_on", "published_on", "date_is_estimate", "version"],
            **history,
        )
    if plan.new_judgements:
        bulk_create_with_history(plan.new_judgements, Judgement, **history)
    if plan.changed_judgements:
        bulk_update_with_history(
            plan.changed_judgements,
            Judgement,
            fields=["grade", "source_grade", "version"],
            **history,
        )
