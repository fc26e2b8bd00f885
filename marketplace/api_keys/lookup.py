"""The live API key a request presents, found by its hash: from this process's memory, the
cache or the database."""

import hashlib
import time

from django.core.cache import cache
from django.utils import timezone

from marketplace.models import ApiKey

CACHED_FOR = 60  # seconds a key stays in the cache without a query
# Seconds a process trusts a key it found without asking the cache: a key revoked in another
# process keeps working here for up to that long.
REMEMBERED_FOR = 10
_remembered: dict[str, tuple[float, ApiKey]] = {}  # digest: (until, key)


def digest(key: str) -> str:
    # Keys are 256 random bits: a fast hash is enough, and a slow one would cap requests/s.
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_of(key: str) -> ApiKey | None:
    """The live key: from this process's memory for REMEMBERED_FOR seconds after it was
    found, then from the cache while it is used (a revocation clears both), then from the
    database. The memory spares a shared cache (Redis) a round trip on every request."""
    key_digest = digest(key)
    today = timezone.localdate()
    remembered = _remembered.get(key_digest)
    if remembered and remembered[0] > time.monotonic() and remembered[1].last_used_on == today:
        return remembered[1]
    found: ApiKey | None = cache.get(_cache_key(key_digest))
    if found is None:
        found = ApiKey.objects.filter(digest=key_digest, revoked_at=None).first()
        if found is None:
            return None
        cache.set(_cache_key(key_digest), found, CACHED_FOR)
    if found.last_used_on != today:
        ApiKey.objects.filter(pk=found.pk).update(last_used_on=today)
        found.last_used_on = today
        cache.set(_cache_key(key_digest), found, CACHED_FOR)
    _remembered[key_digest] = (time.monotonic() + REMEMBERED_FOR, found)
    return found


def forget(key_digest: str) -> None:
    """Forgets a revoked key in the cache and in this process."""
    cache.delete(_cache_key(key_digest))
    _remembered.pop(key_digest, None)


def _cache_key(key_digest: str) -> str:
    return f"api-key:{key_digest}"
