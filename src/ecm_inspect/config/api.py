"""The REST API: every app's router under /api/, OpenAPI schema at /api/schema/."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from ecm_inspect.accounts.api import router as accounts_router
from ecm_inspect.core.concurrency import EditConflict
from ecm_inspect.evidence.api import router as evidence_router
from ecm_inspect.framework.api import router as framework_router
from ecm_inspect.performance.api import router as performance_router
from ecm_inspect.programme.api import router as programme_router
from ecm_inspect.provision.api import router as provision_router
from ecm_inspect.registry.api import router as registry_router
from ecm_inspect.reports.api import router as reports_router
from ecm_inspect.reviews.api import router as reviews_router
from ecm_inspect.voices.api import router as voices_router

api = NinjaAPI(
    title="ECM Inspect API",
    version="1",
    description="The Framework for the inspection of children's services and the records "
    "inspections keep against it.",
    openapi_url="/schema/",
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("/framework", framework_router)
api.add_router("/registry", registry_router)
api.add_router("/accounts", accounts_router)
api.add_router("/reviews", reviews_router)
api.add_router("/apa", performance_router)
api.add_router("/evidence", evidence_router)
api.add_router("/provision", provision_router)
api.add_router("/programme", programme_router)
api.add_router("/reports", reports_router)
api.add_router("/voices", voices_router)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "You may not do this."}, status=403)


@api.exception_handler(EditConflict)
def edit_conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    record = exc.record
    return api.create_response(
        request,
        {
            "detail": str(exc),
            "current_version": getattr(record, "version", None),
            "changed_by": exc.changed_by,
            "changes": [
                {"field": c.field, "before": str(c.before), "after": str(c.after)}
                for c in exc.changes
            ],
        },
        status=409,
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message_dict}, status=422)
