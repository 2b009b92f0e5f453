"""With Redis as the cache, the survey's rate limits, sign-in throttling and sessions really
live there: a round trip through a Redis server (skipped without one, except in CI)."""

import secrets
from collections.abc import Iterator

import pytest
import redis
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.ratelimit import Rate, rate_allow
from ecm_inspect.core.tests.redis_server import REDIS_TEST_URL, require_redis

from .world import PASSWORD, World, world_build


@pytest.fixture
def redis_server() -> Iterator[tuple[redis.Redis, str]]:
    """A Redis client and a key prefix of this test's own, removed afterwards."""
    client = require_redis()
    prefix = f"ecm-test-{secrets.token_hex(4)}"
    yield client, prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def redis_settings(redis_server: tuple[redis.Redis, str]) -> Iterator[None]:
    _, prefix = redis_server
    cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_TEST_URL,
        "KEY_PREFIX": prefix,
    }
    with override_settings(
        CACHES={"default": cache, "clients": {**cache, "KEY_PREFIX": f"{prefix}-clients"}},
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        AXES_HANDLER="axes.handlers.cache.AxesCacheHandler",
        AXES_CACHE="default",
        AXES_FAILURE_LIMIT=3,
    ):
        AxesProxyHandler.implementation = None  # type: ignore[assignment]  # chosen again
        yield
    AxesProxyHandler.implementation = None  # type: ignore[assignment]


def keys(client: redis.Redis, pattern: str) -> list[str]:
    return [key.decode() for key in client.scan_iter(pattern)]


@pytest.mark.django_db
def test_rate_limits_count_in_redis(
    redis_server: tuple[redis.Redis, str], redis_settings: None
) -> None:
    client, prefix = redis_server
    rate = Rate(count=2, seconds=600)
    assert [rate_allow(key="school:ABC123", rate=rate) for _ in range(3)] == [True, True, False]
    assert keys(client, f"{prefix}:*rate:school:ABC123:*")


@pytest.mark.django_db
def test_sign_in_throttling_and_sessions_live_in_redis(
    redis_server: tuple[redis.Redis, str], redis_settings: None
) -> None:
    client, prefix = redis_server
    world: World = world_build()
    dcs, inspector = world.users[Role.DCS], world.users[Role.INSPECTOR]
    sign_in = reverse("accounts:sign-in")
    browser = Client()
    for _ in range(2):
        wrong = {"username": dcs.username, "password": "wrong password", "next": "/audit/"}
        assert browser.post(sign_in, wrong).status_code == 200
    assert browser.post(sign_in, wrong).status_code == 429
    # Counted in Redis, not in the database.
    assert keys(client, f"{prefix}:*axes*")
    assert not AccessAttempt.objects.exists()

    other = Client()
    right = {"username": inspector.username, "password": PASSWORD, "next": "/audit/"}
    assert other.post(sign_in, right).status_code == 302
    session_key = other.cookies["sessionid"].value
    assert keys(client, f"{prefix}:*django.contrib.sessions.cached_db{session_key}")
