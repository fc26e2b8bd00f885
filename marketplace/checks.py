"""What `check --deploy` holds production to, beyond Django's own checks."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, Tags.caches, deploy=True)
def shared_cache(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Login lockouts, API rate limits and revoked keys live in the cache: a cache of each
    process's own lets 8 processes take 8 times the wrong passwords, and a revoked key work
    on in the processes that saw it."""
    if settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            "The cache is each process's own: login lockouts and API rate limits would count "
            "per process, and a revoked API key keep working where it was cached.",
            hint="Set CACHE_URL to a Redis that every web process shares, e.g. "
            "redis://host:6379/1.",
            id="sway.E001",
        )
    ]
