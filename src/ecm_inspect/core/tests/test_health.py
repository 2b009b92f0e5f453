"""/healthz and /readyz: what a load balancer sees when everything is up, and when one part is
down."""

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings

from .redis_server import REDIS_TEST_URL, require_redis

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def test_healthz_answers_without_the_database() -> None:
    # No django_db mark: any query would fail the test.
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"


@override_settings(ALLOWED_HOSTS=["inspect.example.org"], SECURE_SSL_REDIRECT=True, DEBUG=False)
def test_healthz_answers_a_load_balancer_calling_by_address_over_http() -> None:
    """Production refuses unknown hosts and redirects HTTP to HTTPS: not for the probes."""
    client = Client(raise_request_exception=False)
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    # Every other page still gets both protections.
    assert client.get("/", HTTP_HOST="10.0.3.7:8000").status_code == 400
    assert client.get("/", HTTP_HOST="inspect.example.org").status_code == 301


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_readyz_is_200_with_every_check_when_all_are_up() -> None:
    response = Client().get("/readyz", HTTP_HOST="10.0.3.7")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "cache": "ok", "queue": "ok"},
    }


@pytest.mark.django_db
@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_PORT_REDIS,
        }
    }
)
def test_readyz_is_503_naming_the_cache_when_redis_is_down() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
    assert response.json()["checks"] == {"database": "ok", "cache": "failed", "queue": "ok"}


@pytest.mark.django_db
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_readyz_is_503_naming_the_database_when_it_is_down(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    # Why goes to the log, never to the caller.
    assert "connection refused" not in response.content.decode()
    assert "readiness check database failed" in caplog.text


@pytest.mark.django_db
@override_settings(TASKS=RQ_TASKS, RQ_QUEUES={"default": {"URL": CLOSED_PORT_REDIS}})
def test_readyz_is_503_naming_the_queue_when_rqs_redis_is_down() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["queue"]


@pytest.mark.django_db
def test_readyz_reaches_rqs_redis_when_it_is_up() -> None:
    require_redis()
    with override_settings(TASKS=RQ_TASKS, RQ_QUEUES={"default": {"URL": REDIS_TEST_URL}}):
        response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["queue"] == "ok"
