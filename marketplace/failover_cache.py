"""The shared cache (Redis) with the database behind it.

Login lockouts, API rate limits and live API keys are kept in the cache. While Redis cannot
be reached, every operation goes to the database's cache table instead, which every process
shares too: logins and the partner API keep answering, and lockouts and limits keep being
enforced (more slowly). After a failure, Redis is tried again every RETRY_AFTER seconds, so a
request pays at most one short timeout (socket timeouts of CONNECT_SECONDS), not one per
operation. Deletes go to both stores, so a key revoked while Redis is up cannot come back
from the database during a later outage."""

import functools
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
SHARED, DATABASE = "shared", "database"
DATABASE_TABLE = "sway_cache"
CONNECT_SECONDS = 0.5
RETRY_AFTER = 5.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

logger = logging.getLogger(__name__)
_down_until: dict[str, float] = {}  # by primary alias, for the whole process
_down_lock = threading.Lock()


def cache_settings(cache: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """CACHES for the cache that CACHE_URL describes: a Redis one behind a FailoverCache."""
    database = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": DATABASE_TABLE,
        # Culling would drop lockout counts along with everything else.
        "OPTIONS": {"MAX_ENTRIES": 10_000_000},
    }
    if cache["BACKEND"] != REDIS_BACKEND:
        return {"default": cache, DATABASE: database}
    options = cache.setdefault("OPTIONS", {})
    options.setdefault("socket_connect_timeout", CONNECT_SECONDS)
    options.setdefault("socket_timeout", CONNECT_SECONDS)
    return {
        "default": {
            "BACKEND": "marketplace.failover_cache.FailoverCache",
            "OPTIONS": {"primary": SHARED, "fallback": DATABASE},
        },
        SHARED: cache,
        DATABASE: database,
    }


def shared_redis() -> Redis:
    """A client of the Redis server the shared cache writes to (the first of its LOCATION), for
    commands Django's cache API lacks: made from the cache's settings, with its socket
    timeouts, and kept for the process."""
    cache = settings.CACHES[SHARED if SHARED in settings.CACHES else "default"]
    location = cache["LOCATION"]
    servers = re.split("[;,]", location) if isinstance(location, str) else location
    options = cache.get("OPTIONS", {})
    return _redis(servers[0], options.get("socket_connect_timeout"), options.get("socket_timeout"))


@functools.cache
def _redis(url: str, connect_timeout: float | None, timeout: float | None) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=connect_timeout, socket_timeout=timeout)


def using[T](cache: BaseCache, operation: Callable[[BaseCache], T]) -> T:
    """`operation` on the store `cache` reads from now: for most caches, itself."""
    if isinstance(cache, FailoverCache):
        return cache.using(operation)
    return operation(cache)


class FailoverCache(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]):
        options = dict(params.get("OPTIONS", {}))
        self._primary_alias = options.pop("primary")
        self._fallback_alias = options.pop("fallback")
        super().__init__({**params, "OPTIONS": options})

    @property
    def primary(self) -> BaseCache:
        return caches[self._primary_alias]

    @property
    def fallback(self) -> BaseCache:
        return caches[self._fallback_alias]

    def primary_is_up(self) -> bool:
        return time.monotonic() >= _down_until.get(self._primary_alias, 0.0)

    def using[T](self, operation: Callable[[BaseCache], T]) -> T:
        if self.primary_is_up():
            try:
                return operation(self.primary)
            except UNREACHABLE:
                self._primary_failed()
        return operation(self.fallback)

    def _primary_failed(self) -> None:
        with _down_lock:
            was_up = self.primary_is_up()
            _down_until[self._primary_alias] = time.monotonic() + RETRY_AFTER
        if was_up:
            logger.warning(
                "cache: %s cannot be reached; the database's cache serves for %s s",
                self._primary_alias,
                RETRY_AFTER,
                exc_info=True,
            )

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self.using(lambda cache: cache.add(key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self.using(lambda cache: cache.get(key, default, version))

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self.using(lambda cache: cache.set(key, value, timeout, version))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self.using(lambda cache: cache.touch(key, timeout, version))

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        return self.using(lambda cache: cache.incr(key, delta, version))

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self.using(lambda cache: cache.has_key(key, version))

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self.using(lambda cache: cache.get_many(keys, version))

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        return self.using(lambda cache: cache.set_many(data, timeout, version))

    def delete(self, key: Any, version: Any = None) -> bool:
        deleted = self.fallback.delete(key, version)
        return self.using(lambda cache: cache.delete(key, version)) or deleted

    def delete_many(self, keys: Any, version: Any = None) -> None:
        keys = list(keys)
        self.fallback.delete_many(keys, version)
        self.using(lambda cache: cache.delete_many(keys, version))

    def clear(self) -> None:
        self.fallback.clear()
        self.using(lambda cache: cache.clear())
