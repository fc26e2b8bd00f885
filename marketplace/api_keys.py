"""API keys: made, shown once, stored as a hash, revoked; and the authentication and
throttle that read them."""

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling
from rest_framework.request import Request

from marketplace.models import ApiKey, ApiScope, User
from marketplace.window_counts import window_count

PREFIX = "sway_"
SHOWN = 12  # characters kept in clear, to recognise a key in a list
CACHED_FOR = 60  # seconds a key stays in the cache without a query
# Seconds a process trusts a key it found without asking the cache: a key revoked in another
# process keeps working here for up to that long.
REMEMBERED_FOR = 10
_remembered: dict[str, tuple[float, ApiKey]] = {}  # digest: (until, key)


def _digest(key: str) -> str:
    # Keys are 256 random bits: a fast hash is enough, and a slow one would cap requests/s.
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewKey:
    api_key: ApiKey
    key: str  # shown once, never stored


@transaction.atomic
def api_key_create(
    *, name: str, scope: ApiScope, brand_id: int | None = None, created_by: User | None = None
) -> NewKey:
    if (scope == ApiScope.BRAND_WRITE) != (brand_id is not None):
        raise ValueError("A brand-write key names one brand; a read key none.")
    key = PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        name=name, prefix=key[:SHOWN], digest=_digest(key), scope=scope, brand_id=brand_id,
        created_by=created_by,
    )  # fmt: skip
    return NewKey(api_key, key)


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey) -> None:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at=None).update(revoked_at=timezone.now())
    # After the commit: a request reading the key before it would cache it as live again.
    # (The cache must be shared by all processes, CACHE_URL, for them all to forget it.)
    transaction.on_commit(lambda: _forget(api_key.digest))


def _forget(digest: str) -> None:
    cache.delete(_cache_key(digest))
    _remembered.pop(digest, None)


def _cache_key(digest: str) -> str:
    return f"api-key:{digest}"


def api_key_of(key: str) -> ApiKey | None:
    """The live key: from this process's memory for REMEMBERED_FOR seconds after it was
    found, then from the cache while it is used (a revocation clears both), then from the
    database. The memory spares a shared cache (Redis) a round trip on every request."""
    digest = _digest(key)
    today = timezone.localdate()
    remembered = _remembered.get(digest)
    if remembered and remembered[0] > time.monotonic() and remembered[1].last_used_on == today:
        return remembered[1]
    found: ApiKey | None = cache.get(_cache_key(digest))
    if found is None:
        found = ApiKey.objects.filter(digest=digest, revoked_at=None).first()
        if found is None:
            return None
        cache.set(_cache_key(digest), found, CACHED_FOR)
    if found.last_used_on != today:
        ApiKey.objects.filter(pk=found.pk).update(last_used_on=today)
        found.last_used_on = today
        cache.set(_cache_key(digest), found, CACHED_FOR)
    _remembered[digest] = (time.monotonic() + REMEMBERED_FOR, found)
    return found


class KeyUser:
    """Who a request with a key acts as: no site user, only the key's rights."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    pk = None

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer sway_…` (or the `X-Api-Key` header)."""

    def authenticate(self, request: Request) -> tuple[KeyUser, ApiKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        key = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        key = key or request.META.get("HTTP_X_API_KEY", "").strip()
        if not key:
            return None
        return _authenticated(key)

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class QueryKeyAuthentication(authentication.BaseAuthentication):
    """The key in the `key` query parameter, as Klout's API v2 had it."""

    def authenticate(self, request: Request) -> tuple[KeyUser, ApiKey] | None:
        key = request.query_params.get("key", "").strip()
        if not key:
            raise exceptions.NotAuthenticated("Give your API key as the key parameter.")
        return _authenticated(key)


def _authenticated(key: str) -> tuple[KeyUser, ApiKey]:
    api_key = api_key_of(key)
    if api_key is None:
        raise exceptions.AuthenticationFailed("This API key is not valid, or was revoked.")
    return KeyUser(api_key), api_key


class ApiKeyThrottle(throttling.SimpleRateThrottle):
    """Requests a key may make (settings REST_FRAMEWORK DEFAULT_THROTTLE_RATES["api-key"]),
    counted in fixed windows (marketplace.window_counts), where DRF's own throttle reads and
    writes the time of every request in the last period (1.7 ms a request at 60,000 a minute,
    docs/PERFORMANCE.md). The price: up to twice the rate can pass across a window's end.
    Signed-in site users are not counted here."""

    scope = "api-key"
    num_requests: int | None  # set by SimpleRateThrottle from the rate
    duration: int | None

    def get_cache_key(self, request: Request, view: object) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}

    def allow_request(self, request: Request, view: object) -> bool:
        key = self.get_cache_key(request, view)
        if self.num_requests is None or self.duration is None or key is None:
            return True
        now = time.time()
        made = window_count(
            key, window=int(now // self.duration), seconds=2 * self.duration,
            limit=self.num_requests,
        )  # fmt: skip
        self.window_left = self.duration - now % self.duration
        return made <= self.num_requests

    def wait(self) -> float | None:
        return self.window_left


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer KEY"}


class QueryKeyScheme(OpenApiAuthenticationExtension):
    target_class = QueryKeyAuthentication
    name = "kloutKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "query", "name": "key"}
