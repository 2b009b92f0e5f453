"""Production settings: every secret and host from the environment; HTTPS only."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Demo accounts have published passwords: never in production.
ECM_DEMO_USERS = False

# PostgreSQL: each process keeps a pool of connections (Django's psycopg pool option, with
# psycopg_pool) unless ECM_DB_POOL=false, e.g. behind PgBouncer in transaction mode. A pooled
# connection goes back to the pool after each request, so CONN_MAX_AGE stays 0. Each process
# holds at most ECM_DB_POOL_MAX connections: size PostgreSQL's max_connections for every web
# worker and task worker on every machine (docs/deployment.md).
if (
    env.bool("ECM_DB_POOL", default=True)
    and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"  # noqa: F405
):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
        "min_size": env.int("ECM_DB_POOL_MIN", default=1),
        "max_size": env.int("ECM_DB_POOL_MAX", default=4),
        "timeout": env.float("ECM_DB_POOL_TIMEOUT", default=10.0),
    }

# Logs: one JSON object a line on standard error, for the platform's log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"levelname": "level", "asctime": "time", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env.str("ECM_LOG_LEVEL", default="WARNING")},
    "loggers": {
        # Server errors (with their traceback, as a field) and refused hosts.
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
    },
}
