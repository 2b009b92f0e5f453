"""Rate limits every app can use: a sliding window counted in a store all processes share.

`rate_allow(key=..., rate=Rate.parse("300/600"))` counts one event for the key and says whether
it is within the limit. The window slides (a sliding-window counter): the count of the window
in progress is added to the previous window's count, weighted by how much of the previous
window is still inside the last `seconds`. A burst across the boundary of two fixed windows
therefore meets the limit once, not twice (a fixed window lets `limit` through at the end of
one window and `limit` more at the start of the next). The estimate assumes the previous
window's events were spread evenly; in any `seconds` the events let through are at most
`limit` plus the previous window's share still in view, under twice the limit whatever the
timing, and a burst at one moment is held to the limit.

The store is a Django cache: `default` (the database, or Redis when configured:
docs/settings.md) for counts by school code or other public keys; `clients` for counts by
client, which is never the database (see `client_key`). Counting is atomic in every backend
the settings choose (Redis INCR, LocMem's lock, accounts.cache.DatabaseCache), and an event
refused is taken off the count again, so refusals do not keep a key shut.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import OperationalError

_TRIES = 20


@dataclass(frozen=True)
class Rate:
    """`count` events per `seconds`."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str, *, default_seconds: int = 600) -> "Rate":
        """ "300/600" is 300 per 600 seconds; "300" alone is per `default_seconds`."""
        count, _, seconds = text.partition("/")
        rate = cls(int(count), int(seconds or default_seconds))
        if rate.count < 0 or rate.seconds < 1:
            raise ValueError(f"not a rate: {text!r} (count/seconds)")
        return rate


def _count(store: BaseCache, key: str, delta: int, timeout: int) -> int | None:
    """Add `delta` to the count under `key` (created at 0) and return it; None if the store
    stayed busy."""
    for _ in range(_TRIES):
        try:
            store.add(key, 0, timeout=timeout)
            return int(store.incr(key, delta))
        except ValueError:  # expired or culled between add and incr, or add lost a race
            time.sleep(0.005)
        except OperationalError as exc:  # SQLite busy: wait, bounded
            if "locked" not in str(exc):
                raise
            time.sleep(0.01)
    return None


def rate_allow(
    *, key: str, rate: Rate, store: BaseCache | None = None, now: float | None = None
) -> bool:
    """Count one event for `key` and say whether it is within `rate` over the sliding window.
    A store that stays busy counts as over the limit (the caller's refusal is the safe side)."""
    store = caches["default"] if store is None else store
    now = time.time() if now is None else now
    window, into = divmod(now, rate.seconds)
    current = f"rate:{key}:{int(window)}"
    previous = f"rate:{key}:{int(window) - 1}"
    timeout = 2 * rate.seconds + 60  # the current window is the previous one next time
    try:
        before = int(store.get(previous) or 0)
    except OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return False
    count = _count(store, current, 1, timeout)
    if count is None:
        return False
    if before * (1 - into / rate.seconds) + count > rate.count:
        _count(store, current, -1, timeout)
        return False
    return True


def client_key(remote_addr: str | None, *, purpose: str) -> str:
    """Who is asking, as a key for `clients` counters: an HMAC of the address with the site's
    secret key, so the address cannot be recovered from it without the secret. It is never
    written to the database: counters by client go to the `clients` cache, which is memory or
    Redis, never the database cache (the children's survey is anonymous by construction)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"{purpose}:{remote_addr or ''}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return digest[:32]


def clients_store() -> BaseCache:
    return caches["clients"]
