"""How many requests a client made in the current window, counted in the cache so that all
processes share the count (with Redis as the cache; the default, each process's memory,
counts each process's own; while Redis cannot be reached, the database's cache table counts,
request by request: marketplace.failover_cache).

On Redis, a process adds its requests to the shared count in batches, one round trip per
batch rather than per request (docs/PERFORMANCE.md, "Partner API"): between two, it counts
the shared count it last saw plus its own since. So each process may let up to a batch more
through than the limit once it is reached. A batch is 1/200 of the limit and at most 20
requests: a limit under 400 is counted request by request, and one of 6,000 a minute costs a
round trip every 20 requests of a process."""

import threading
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache

from marketplace.failover_cache import shared_redis, using

BATCH_SHARE = 200  # a batch is the limit divided by this, at least 1
MAX_BATCH = 20


@dataclass
class _Unshared:
    window: int
    requests: int = 0  # made in this process and not added to the shared count yet
    shared: int = 0  # the shared count when this process last added to it


_unshared: dict[str, _Unshared] = {}  # by client
_lock = threading.Lock()


def window_count(client: str, *, window: int, seconds: int, limit: int) -> int:
    """Adds a request to the client's count in the window (numbered; its counter lives
    `seconds`) and returns the count as far as this process knows it."""
    return using(
        caches["default"],
        lambda backend: _count(backend, client, window=window, seconds=seconds, limit=limit),
    )


def _count(backend: BaseCache, client: str, *, window: int, seconds: int, limit: int) -> int:
    counter = f"{client}:{window}"
    if not isinstance(backend, RedisCache):
        try:
            return backend.incr(counter)
        except ValueError:  # the window's first request
            backend.add(counter, 0, seconds)
            return backend.incr(counter)
    with _lock:
        mine = _unshared.get(client)
        if mine is None or mine.window != window:
            mine = _unshared[client] = _Unshared(window)
        mine.requests += 1
        if mine.requests < max(1, min(limit // BATCH_SHARE, MAX_BATCH)):
            return mine.shared + mine.requests
        added, mine.requests = mine.requests, 0
    key = backend.make_and_validate_key(counter)
    # One round trip, where Django's incr makes two; the counter is made with its lifetime.
    pipe = shared_redis().pipeline(transaction=False)
    pipe.set(key, 0, ex=seconds, nx=True)
    pipe.incrby(key, added)
    shared = int(pipe.execute()[1])
    with _lock:
        mine.shared = max(mine.shared, shared)
        return mine.shared + mine.requests
