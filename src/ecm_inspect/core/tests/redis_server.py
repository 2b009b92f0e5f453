"""The Redis server the tests use when one runs on this machine: REDIS_TEST_URL (default
redis://127.0.0.1:6379/5). Without one, tests that need it are skipped, except in CI
(CI=true), where they fail: CI has Redis."""

import os

import pytest
import redis

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/5")


def require_redis() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        message = f"Redis is not reachable at {REDIS_TEST_URL}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must run the Redis tests.")
        pytest.skip(message)
    return client
