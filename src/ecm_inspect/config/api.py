"""The REST API: every app's router under /api/, OpenAPI schema at /api/schema/."""

from ninja import NinjaAPI

from ecm_inspect.framework.api import router as framework_router

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
