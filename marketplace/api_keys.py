"""API keys: made, shown once, stored as a hash, revoked; and the authentication and
throttle that read them."""

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling
from rest_framework.request import Request

from marketplace.models import ApiKey, ApiScope, User

PREFIX = "sway_"
SHOWN = 12  # characters kept in clear, to recognise a key in a list
CACHED_FOR = 60  # seconds a key stays known to a process without a query


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
    digest = api_key.digest
    transaction.on_commit(lambda: cache.delete(_cache_key(digest)))


def _cache_key(digest: str) -> str:
    return f"api-key:{digest}"


def api_key_of(key: str) -> ApiKey | None:
    """The live key, from the cache when it was used lately (a revocation clears it)."""
    digest = _digest(key)
    found: ApiKey | None = cache.get(_cache_key(digest))
    if found is None:
        found = ApiKey.objects.filter(digest=digest, revoked_at=None).first()
        if found is None:
            return None
        cache.set(_cache_key(digest), found, CACHED_FOR)
    today = timezone.localdate()
    if found.last_used_on != today:
        ApiKey.objects.filter(pk=found.pk).update(last_used_on=today)
        found.last_used_on = today
        cache.set(_cache_key(digest), found, CACHED_FOR)
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
    """Requests a key may make (settings REST_FRAMEWORK DEFAULT_THROTTLE_RATES["api-key"]);
    signed-in site users are not counted here."""

    scope = "api-key"

    def get_cache_key(self, request: Request, view: object) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


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
