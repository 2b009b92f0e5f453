"""Health endpoints for load balancers and orchestrators (docs/deployment.md).

- `/healthz`: the process is alive and answers. Touches nothing else: 200 "ok".
- `/readyz`: the process can serve: the database answers `SELECT 1`, the cache stores and
  returns a value, and the task queue is reachable (a query on the tasks table for the database
  backend, a ping of Redis for RQ). 200 with every check as JSON; 503 naming the one that
  failed. What failed, and why, goes to the log, not to the caller.

Both are answered by `health_middleware`, first in MIDDLEWARE, before host validation, the
HTTPS redirect, sessions and authentication: a load balancer calls each machine by its own
address over plain HTTP, and must get the answer of that machine, not a redirect or a 400.
They say nothing but "ok" or "failed" per check.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

logger = logging.getLogger(__name__)

LIVE_PATH = "/healthz"
READY_PATH = "/readyz"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    cache = caches["default"]
    key = f"readyz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return the value just stored")
    finally:
        cache.delete(key)


def check_task_queue() -> None:
    backend = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__name__
    if backend == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.only("pk").first()
    elif backend == "RQBackend":
        import django_rq

        django_rq.get_connection("default").ping()
    # The immediate backend (the tests) runs tasks in the process: nothing to reach.


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "queue": check_task_queue,
}


def readiness() -> dict[str, str]:
    """Each check's name with "ok" or "failed", in order; a failure is logged with its
    exception."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("readiness check %s failed", name)
            results[name] = "failed"
        else:
            results[name] = "ok"
    return results


def live_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def ready_view(request: HttpRequest) -> HttpResponse:
    checks = readiness()
    failed = [name for name, result in checks.items() if result != "ok"]
    body = {"status": "failed" if failed else "ok", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)


def health_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Answers GET and HEAD of /healthz and /readyz before any other middleware; passes
    everything else on."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method in {"GET", "HEAD"}:
            if request.path_info == LIVE_PATH:
                response = live_view(request)
            elif request.path_info == READY_PATH:
                response = ready_view(request)
            else:
                return get_response(request)
            response["Cache-Control"] = "no-store"
            return response
        return get_response(request)

    return middleware
