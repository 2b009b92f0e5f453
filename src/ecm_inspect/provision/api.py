"""REST API of setting inspections: pooled evidence and published inspections for anyone;
recording inspections and judgements, publishing them, the burden ledger with its visits and
information requests, and the calendar for staff who have passed the second factor. Every
endpoint asks the policy (provision/rules.py)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from ecm_inspect.accounts.api import staff
from ecm_inspect.core.inputs import ObjectId, Offset
from ecm_inspect.framework.grades import Grade
from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.framework.selectors import in_force_code
from ecm_inspect.registry.models import Area, Inspectorate, Provider

from .calendar import planned_calendar_ics
from .models import ContactKind, InspectionContact, Judgement, SettingInspection
from .selectors import (
    area_pool,
    burden_ledger,
    judgements_of,
    planned_inspections,
    provider_history,
    setting_inspection_get_for_user,
    setting_inspections_for_user,
)
from .services import (
    inspection_contact_record,
    judgement_record,
    setting_inspection_create,
    setting_inspection_publish,
)

router = Router(tags=["provision"])


def _distribution(item: Any) -> dict[str, int]:
    return {g.label.lower(): n for g, n in item.distribution_best_first}


@router.get("/areas/{gss_code}/pool/", url_name="provision_area_pool")
def area_pool_get(request: HttpRequest, gss_code: str) -> dict[str, Any]:
    area = get_object_or_404(Area, gss_code=gss_code)
    pool = area_pool(area=area)
    return {
        "area": {"gss_code": area.gss_code, "name": area.name},
        "as_of": pool.as_of,
        "recent_since": pool.recent_since,
        "key_judgements": [
            {
                "code": kj.code,
                "providers_judged": kj.providers_judged,
                "inspections": kj.inspections,
                "spread": kj.spread,
                "not_judged": kj.not_judged,
                "distribution": _distribution(kj),
                "newest": kj.newest,
                "oldest": kj.oldest,
                "stale": kj.stale,
                "children_covered": kj.children_covered,
                "children_in_relevant_providers": kj.children_in_relevant_providers,
                "conflicts": [
                    {
                        "provider_id": c.provider_id,
                        "provider": c.provider_name,
                        "lowest": int(c.lowest),
                        "highest": int(c.highest),
                    }
                    for c in kj.conflicts
                ],
                "gaps": [{"kind": g.kind, "providers": g.providers} for g in kj.gaps],
                "findings": [
                    {
                        "provider_id": f.provider_id,
                        "provider": f.provider_name,
                        "grade": int(f.grade),
                        "inspected_on": f.inspected_on,
                        "date_is_estimate": f.date_is_estimate,
                        "inspectorate": f.inspectorate,
                        "inspection_id": f.inspection_id,
                        "stale": f.is_stale,
                    }
                    for f in kj.findings
                ],
            }
            for kj in pool.key_judgements
        ],
        "vulnerable_groups": [
            {
                "code": g.code,
                "key_judgements": g.key_judgements,
                "providers_judged": g.providers_judged,
                "distribution": _distribution(g),
                "conflicts": g.conflicts,
                "gaps": g.gaps,
            }
            for g in pool.groups
        ],
        # `distribution` counts a finding per key judgement; `by_inspection` each inspection of
        # a provider once, at its mean grade on the outcome (for sufficiency).
        "outcomes": [
            {
                "code": o.code,
                "distribution": _distribution(o),
                "inspections": o.inspections,
                "by_inspection": {
                    g.label.lower(): o.by_inspection[g] for g, _ in o.distribution_best_first
                },
            }
            for o in pool.outcomes
        ],
    }


def _judgement_out(j: Judgement) -> dict[str, Any]:
    return {
        "id": j.pk,
        "key_judgement": j.key_judgement.code,
        "provider_urn": j.provider.urn,
        "inspectorate": j.inspectorate.code,
        "grade": int(j.grade) if j.grade is not None else None,
        "not_judged_reason": j.not_judged_reason,
        "evidence_notes": j.evidence_notes,
        "criteria": j.criteria,
        "source_grade": j.source_grade,
        "author": str(j.author) if j.author else None,
        "version": j.version,
    }


def _inspection_out(i: SettingInspection, judgements: list[Judgement] | None = None) -> dict:
    out = {
        "id": i.pk,
        "providers": [ip.provider.urn for ip in i.inspected.all()],
        "lead_inspectorate": i.lead_inspectorate.code,
        "other_inspectorates": [b.code for b in i.other_inspectorates.all()],
        "status": i.status,
        "starts_on": i.starts_on,
        "ends_on": i.ends_on,
        "date_is_estimate": i.date_is_estimate,
        "published_on": i.published_on,
        "published_by": i.published_by,
        "statutory_framework": i.statutory_framework,
        "visit_plan": i.visit_plan,
        "version": i.version,
    }
    if judgements is not None:
        out["judgements"] = [_judgement_out(j) for j in judgements]
    return out


@router.get("/providers/{urn}/inspections/", url_name="provision_provider_inspections")
def provider_inspections(request: HttpRequest, urn: str) -> list[dict[str, Any]]:
    provider = get_object_or_404(Provider, urn=urn)
    return [
        _inspection_out(i, list(i.judgements.all()))
        for i in provider_history(provider=provider, user=request.user)
    ]


@router.get("/inspections/", url_name="provision_inspections")
def inspection_list(
    request: HttpRequest, area: str = "", offset: Offset = 0, limit: int = 50
) -> dict[str, Any]:
    """Inspections the caller may see (published ones for everyone), newest first."""
    qs = setting_inspections_for_user(user=request.user).prefetch_related("other_inspectorates")
    if area:
        qs = qs.filter(inspected__provider__area__gss_code=area).distinct()
    limit = max(1, min(limit, 200))
    return {"count": qs.count(), "items": [_inspection_out(i) for i in qs[offset : offset + limit]]}


class InspectionIn(Schema):
    providers: list[str]
    other_inspectorates: list[str] = []
    starts_on: datetime.date
    ends_on: datetime.date
    statutory_framework: str
    visit_plan: str = ""


@router.post("/inspections/", auth=staff, url_name="provision_inspection_create")
def inspection_create(request: HttpRequest, body: InspectionIn) -> dict[str, Any]:
    """Record an inspection led by the caller's inspectorate."""
    user: Any = request.user
    if not user.has_perm("provision.add_settinginspection"):
        raise PermissionDenied
    lead = Inspectorate.objects.filter(pk=user.inspectorate_id).first()
    if lead is None:
        raise PermissionDenied
    found = {p.urn: p for p in Provider.objects.filter(urn__in=body.providers)}
    created = setting_inspection_create(
        providers=[found[u] for u in body.providers if u in found],
        lead_inspectorate=lead,
        other_inspectorates=Inspectorate.objects.filter(code__in=body.other_inspectorates),
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        statutory_framework=body.statutory_framework,
        visit_plan=body.visit_plan,
        by=user,
    )
    return _inspection_out(created, [])


@router.get("/inspections/{inspection_id}/", url_name="provision_inspection")
def inspection_get(request: HttpRequest, inspection_id: ObjectId) -> dict[str, Any]:
    found = setting_inspection_get_for_user(user=request.user, inspection_id=inspection_id)
    return _inspection_out(found, judgements_of(found))


@router.get("/inspections/{inspection_id}/judgements/", url_name="provision_judgements")
def judgement_list(request: HttpRequest, inspection_id: ObjectId) -> list[dict[str, Any]]:
    found = setting_inspection_get_for_user(user=request.user, inspection_id=inspection_id)
    return [_judgement_out(j) for j in judgements_of(found)]


class JudgementIn(Schema):
    provider_urn: str
    key_judgement: str
    grade: int | None = None
    not_judged_reason: str = ""
    evidence_notes: str = ""
    criteria: str = ""
    version: int | None = None


@router.post(
    "/inspections/{inspection_id}/judgements/", auth=staff, url_name="provision_judgement_record"
)
def judgement_post(
    request: HttpRequest, inspection_id: ObjectId, body: JudgementIn
) -> dict[str, Any]:
    """Record (or, with `version`, change) the caller's inspectorate's judgement."""
    user: Any = request.user
    found = setting_inspection_get_for_user(
        user=user, inspection_id=inspection_id, perm="provision.change_settinginspection"
    )
    judgement = judgement_record(
        inspection=found,
        provider=get_object_or_404(Provider, urn=body.provider_urn),
        inspectorate=get_object_or_404(Inspectorate, pk=user.inspectorate_id),
        # The key judgement of the Framework in force when the inspection started (ADR 0005).
        key_judgement=get_object_or_404(
            KeyJudgement, code=body.key_judgement, version__code=in_force_code(found.starts_on)
        ),
        grade=Grade(body.grade) if body.grade in Grade.values else None,
        not_judged_reason=body.not_judged_reason,
        evidence_notes=body.evidence_notes,
        criteria=body.criteria,
        by=user,
        seen_version=body.version,
    )
    return _judgement_out(judgement)


class PublishIn(Schema):
    version: int


@router.post(
    "/inspections/{inspection_id}/publish/", auth=staff, url_name="provision_inspection_publish"
)
def inspection_publish(request: HttpRequest, inspection_id: ObjectId, body: PublishIn) -> dict:
    """Publish the inspection (the lead inspectorate's): from then on it is public and can no
    longer be changed. `version` is the version the caller saw (409 if it has moved on)."""
    found = setting_inspection_get_for_user(
        user=request.user, inspection_id=inspection_id, perm="provision.publish_settinginspection"
    )
    published = setting_inspection_publish(
        inspection=found,
        seen_version=body.version,
        published_on=timezone.localdate(),
        by=request.user,
    )
    return _inspection_out(published, judgements_of(published))


class ContactIn(Schema):
    kind: ContactKind
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    description: str
    inspection_id: int | None = None


def _contact_out(c: InspectionContact) -> dict[str, Any]:
    return {
        "id": c.pk,
        "provider_urn": c.provider.urn,
        "inspectorate": c.inspectorate.code,
        "kind": c.kind,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "description": c.description,
        "inspection_id": c.inspection_id,
    }


@router.post("/providers/{urn}/contacts/", auth=staff, url_name="provision_contact_create")
def contact_create(request: HttpRequest, urn: str, body: ContactIn) -> dict[str, Any]:
    """Record a visit or information request of the caller's inspectorate in the provider's
    burden ledger."""
    user: Any = request.user
    if not user.has_perm("provision.add_inspectioncontact"):
        raise PermissionDenied
    inspectorate = Inspectorate.objects.filter(pk=user.inspectorate_id).first()
    if inspectorate is None:
        raise PermissionDenied
    provider = get_object_or_404(Provider, urn=urn)
    inspection = (
        setting_inspection_get_for_user(user=user, inspection_id=body.inspection_id)
        if body.inspection_id is not None
        else None
    )
    contact = inspection_contact_record(
        provider=provider,
        inspectorate=inspectorate,
        kind=body.kind,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        description=body.description,
        inspection=inspection,
        by=user,
    )
    return _contact_out(contact)


@router.get("/providers/{urn}/burden/", auth=staff, url_name="provision_burden")
def burden_get(request: HttpRequest, urn: str) -> dict[str, Any]:
    if not request.user.has_perm("provision.view_burden"):
        raise PermissionDenied
    provider = get_object_or_404(Provider, urn=urn)
    ledger = burden_ledger(providers=Provider.objects.filter(pk=provider.pk))
    return {
        "since": ledger.since,
        "entries": [
            {
                "starts_on": e.starts_on,
                "ends_on": e.ends_on,
                "what": e.what,
                "inspectorate": e.inspectorate,
                "description": e.description,
                "planned": e.is_planned,
                "inspection_id": e.inspection_id,
            }
            for e in ledger.entries
        ],
    }


@router.get("/calendar.ics", auth=staff, url_name="provision_calendar")
def calendar_get(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("provision.view_calendar"):
        raise PermissionDenied
    body = planned_calendar_ics(inspections=planned_inspections(), stamp=timezone.now())
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
