"""Making an API key, shown once and stored as a hash, and revoking it."""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from marketplace.api_keys.lookup import digest, forget
from marketplace.models import ApiKey, ApiScope, User

PREFIX = "sway_"
SHOWN = 12  # characters kept in clear, to recognise a key in a list


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
        name=name,
        prefix=key[:SHOWN],
        digest=digest(key),
        scope=scope,
        brand_id=brand_id,
        created_by=created_by,
    )
    return NewKey(api_key, key)


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey) -> None:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at=None).update(revoked_at=timezone.now())
    # After the commit: a request reading the key before it would cache it as live again.
    # (The cache must be shared by all processes, CACHE_URL, for them all to forget it.)
    transaction.on_commit(lambda: forget(api_key.digest))
