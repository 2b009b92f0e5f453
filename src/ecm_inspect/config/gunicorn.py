"""gunicorn's settings for `make serve` and the container (docs/deployment.md):
`gunicorn --config python:ecm_inspect.config.gunicorn ecm_inspect.config.wsgi`.

Workers from WEB_CONCURRENCY (default two per core plus one), the address from HOST and PORT,
and every log line (the access log and gunicorn's own) written to standard output as one JSON
object, like the application's logs under the production settings.
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger


def _workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)


wsgi_app = "ecm_inspect.config.wsgi:application"
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
workers = _workers()
# A request taking longer than this is killed with its worker (the solver, the APA run and
# PDFs run as tasks, not in requests).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Behind a load balancer that keeps connections open.
keepalive = 5
# Replace each worker after this many requests (plus jitter) so slow leaks cannot accumulate.
max_requests = 2000
max_requests_jitter = 200
# The load balancer in front sets X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("ECM_LOG_LEVEL", "info").lower()
logger_class = "ecm_inspect.config.gunicorn.JsonLogger"

_JSON = "pythonjsonlogger.json.JsonFormatter"
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": _JSON,
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"levelname": "level", "asctime": "time", "name": "logger"},
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["stdout"], "level": loglevel.upper()},
}


class JsonLogger(Logger):
    """gunicorn's logger with each request as fields of the JSON line rather than an Apache
    line: method, path, status, bytes, duration, address, user agent, referrer."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        fields = {
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "remote_addr": environ.get("REMOTE_ADDR"),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "referrer": environ.get("HTTP_REFERER"),
        }
        self.access_log.info(
            "%s %s %s", fields["method"], fields["path"], fields["status"], extra=fields
        )
