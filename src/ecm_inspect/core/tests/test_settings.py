"""What the settings choose from the environment, read in a fresh process as a server would:
the shared cache for rate limits, sign-in throttling and sessions; the PostgreSQL pool and the
JSON logs of production."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SRC = str(Path(__file__).resolve().parents[3])
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "ecm_inspect.config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-secret-for-this-test-only-" + "x" * 30,
    "DJANGO_ALLOWED_HOSTS": "inspect.example.org",
}
READ = """
import json, sys
from django.conf import settings
names = sys.argv[1:]
print(json.dumps({name: getattr(settings, name, None) for name in names}, default=repr))
"""
CLEARED = ("REDIS_URL", "CACHE_URL", "DATABASE_URL", "ECM_DB_POOL", "DJANGO_SETTINGS_MODULE")


def read_settings(env: dict[str, str], *names: str) -> dict[str, Any]:
    base = {k: v for k, v in os.environ.items() if k not in CLEARED}
    result = subprocess.run(
        [sys.executable, "-c", READ, *names],
        env={**base, "PYTHONPATH": SRC, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "module", ["ecm_inspect.config.settings.production", "ecm_inspect.config.settings.dev"]
)
def test_with_redis_the_cache_sessions_and_sign_in_throttling_use_it(module: str) -> None:
    env = {**PRODUCTION, "DJANGO_SETTINGS_MODULE": module, "REDIS_URL": "redis://redis:6379/0"}
    found = read_settings(env, "CACHES", "SESSION_ENGINE", "AXES_HANDLER", "AXES_CACHE")
    redis_cache = "django.core.cache.backends.redis.RedisCache"
    assert found["CACHES"]["default"] == {
        "BACKEND": redis_cache,
        "LOCATION": "redis://redis:6379/0",
    }
    # Rate limits by school code count in `default`, by client in `clients`: both Redis.
    assert found["CACHES"]["clients"]["BACKEND"] == redis_cache
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert found["AXES_HANDLER"] == "axes.handlers.cache.AxesCacheHandler"
    assert found["AXES_CACHE"] == "default"


def test_without_redis_they_use_the_database_every_process_shares() -> None:
    found = read_settings(PRODUCTION, "CACHES", "SESSION_ENGINE", "AXES_HANDLER")
    assert found["CACHES"]["default"]["BACKEND"] == "ecm_inspect.accounts.cache.DatabaseCache"
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert found["AXES_HANDLER"] == "axes.handlers.database.AxesDatabaseHandler"
    # Only counts by client, which must never reach the database, stay in each process.
    assert found["CACHES"]["clients"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_production_pools_postgresql_connections() -> None:
    env = {
        **PRODUCTION,
        "DATABASE_URL": "postgres://ecm:secret@db:5432/ecm",
        "ECM_DB_POOL_MAX": "6",
    }
    database = read_settings(env, "DATABASES")["DATABASES"]["default"]
    assert database["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 6, "timeout": 10.0}
    assert database["CONN_MAX_AGE"] == 0


def test_the_pool_can_be_turned_off_and_never_applies_to_sqlite() -> None:
    env = {**PRODUCTION, "DATABASE_URL": "postgres://ecm@db:5432/ecm", "ECM_DB_POOL": "false"}
    assert "pool" not in read_settings(env, "DATABASES")["DATABASES"]["default"].get("OPTIONS", {})
    sqlite = read_settings(PRODUCTION, "DATABASES")["DATABASES"]["default"]
    assert "pool" not in sqlite.get("OPTIONS", {})


def test_the_pool_is_installed() -> None:
    # psycopg[pool] in the runtime lock: Django needs psycopg_pool for the pool option.
    assert importlib.util.find_spec("psycopg_pool") is not None


def test_production_logs_json_and_dev_logs_plain_text() -> None:
    logging = read_settings(PRODUCTION, "LOGGING")["LOGGING"]
    handler = logging["handlers"][logging["root"]["handlers"][0]]
    assert (
        logging["formatters"][handler["formatter"]]["()"] == "pythonjsonlogger.json.JsonFormatter"
    )
    dev = read_settings({"DJANGO_SETTINGS_MODULE": "ecm_inspect.config.settings.dev"}, "LOGGING")
    assert "formatter" not in dev["LOGGING"]["handlers"]["console"]


def test_a_production_log_line_is_one_json_object() -> None:
    script = (
        "import django, logging; django.setup();"
        "logging.getLogger('ecm_inspect.test').warning('queued %s', 'a plan')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **{k: v for k, v in os.environ.items() if k not in CLEARED},
            "PYTHONPATH": SRC,
            **PRODUCTION,
        },
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "queued a plan"
    assert line["level"] == "WARNING"
    assert line["logger"] == "ecm_inspect.test"
