"""REST API for staff: who am I, inspectors (changed by their inspectorate's lead, with
optimistic concurrency) and the audit trail. Every endpoint needs a session that has passed
the second factor, and asks the policy."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.security import SessionAuth

from ecm_inspect.core.concurrency import record_update
from ecm_inspect.core.inputs import ObjectId, Offset
from ecm_inspect.framework.models import Outcome, ProviderKind

from .selectors import (
    AuditFilter,
    audit_entries_for_user,
    inspector_get_for_user,
    inspectors_for_user,
)


class StaffSession(SessionAuth):
    """A Django session that has passed the second factor (unsafe methods also need CSRF)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user: Any = request.user
        if user.is_authenticated and user.is_verified():
            return user
        return None


staff = StaffSession()
router = Router(tags=["accounts"], auth=staff)


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    organisation: str | None
    is_demo: bool


@router.get("/me/", response=MeOut, url_name="accounts_me")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "organisation": str(user.organisation) if user.organisation else None,
        "is_demo": user.is_demo,
    }


class InspectorOut(Schema):
    id: int
    full_name: str
    inspectorate: str
    grade: str
    home_region_code: str
    days_per_week: int
    is_active: bool
    is_synthetic: bool
    outcome_expertise: list[str]
    provider_kind_expertise: list[str]
    version: int


def _inspector_out(inspector: Any) -> dict[str, Any]:
    return {
        "id": inspector.pk,
        "full_name": inspector.full_name,
        "inspectorate": inspector.inspectorate.code,
        "grade": inspector.grade,
        "home_region_code": inspector.home_region_code,
        "days_per_week": inspector.days_per_week,
        "is_active": inspector.is_active,
        "is_synthetic": inspector.is_synthetic,
        "outcome_expertise": sorted(o.code for o in inspector.outcome_expertise.all()),
        "provider_kind_expertise": sorted(k.code for k in inspector.provider_kind_expertise.all()),
        "version": inspector.version,
    }


class InspectorPage(Schema):
    count: int
    items: list[InspectorOut]


@router.get("/inspectors/", response=InspectorPage, url_name="accounts_inspectors")
def inspector_list(
    request: HttpRequest, inspectorate: str = "", offset: Offset = 0, limit: int = 50
) -> dict[str, Any]:
    qs = inspectors_for_user(user=request.user).prefetch_related(
        "outcome_expertise", "provider_kind_expertise"
    )
    if inspectorate:
        qs = qs.filter(inspectorate__code=inspectorate)
    limit = max(1, min(limit, 200))
    return {"count": qs.count(), "items": [_inspector_out(i) for i in qs[offset : offset + limit]]}


@router.get("/inspectors/{inspector_id}/", response=InspectorOut, url_name="accounts_inspector")
def inspector_detail(request: HttpRequest, inspector_id: ObjectId) -> dict[str, Any]:
    inspector = inspector_get_for_user(
        user=request.user, inspector_id=inspector_id, perm="registry.view_inspector"
    )
    return _inspector_out(inspector)


class InspectorChange(Schema):
    """Fields to change, and `version`: the version the change was made from."""

    version: int
    full_name: str | None = None
    grade: str | None = None
    home_region_code: str | None = None
    days_per_week: int | None = None
    is_active: bool | None = None
    outcome_expertise: list[str] | None = None
    provider_kind_expertise: list[str] | None = None


@router.patch(
    "/inspectors/{inspector_id}/", response=InspectorOut, url_name="accounts_inspector_change"
)
def inspector_change(request: HttpRequest, inspector_id: ObjectId, body: InspectorChange) -> Any:
    inspector = inspector_get_for_user(
        user=request.user, inspector_id=inspector_id, perm="registry.change_inspector"
    )
    data = body.dict(exclude_unset=True)
    seen = data.pop("version")
    many: dict[str, Any] = {}
    if "outcome_expertise" in data:
        many["outcome_expertise"] = Outcome.objects.filter(
            version__code="2005", code__in=data.pop("outcome_expertise") or []
        )
    if "provider_kind_expertise" in data:
        many["provider_kind_expertise"] = ProviderKind.objects.filter(
            code__in=data.pop("provider_kind_expertise") or []
        )
    saved = record_update(
        record=inspector, seen_version=seen, changes=data, many=many, by=request.user
    )
    return _inspector_out(saved)


class AuditChangeOut(Schema):
    field: str
    before: str
    after: str


class AuditEntryOut(Schema):
    at: datetime
    who: str
    action: str
    record_type: str
    record: str
    changes: list[AuditChangeOut]


class AuditQuery(Schema):
    record_type: str = ""
    who: str = ""
    since: date | None = None
    until: date | None = None
    offset: Offset = 0
    limit: int = 50


@router.get("/audit/", response=list[AuditEntryOut], url_name="accounts_audit")
def audit(request: HttpRequest, query: Query[AuditQuery]) -> Any:
    where = AuditFilter(
        record_type=query.record_type, who=query.who, since=query.since, until=query.until
    )
    return audit_entries_for_user(
        user=request.user,
        where=where,
        offset=max(0, query.offset),
        limit=max(1, min(query.limit, 200)),
    )
