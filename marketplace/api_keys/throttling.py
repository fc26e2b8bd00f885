"""The rate an API key may make requests at."""

import time

from rest_framework import throttling
from rest_framework.request import Request

from marketplace.models import ApiKey
from marketplace.window_counts import window_count


class ApiKeyThrottle(throttling.SimpleRateThrottle):
    """Requests a key may make (settings REST_FRAMEWORK DEFAULT_THROTTLE_RATES["api-key"]),
    counted in fixed windows (marketplace.window_counts), where DRF's own throttle, on every
    request, reads and writes the times of all the requests of the last period: a list that
    grows with the rate (its cost: docs/PERFORMANCE.md, "Partner API"). The price: up to twice
    the rate can pass across a window's end. Signed-in site users are not counted here."""

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
            key,
            window=int(now // self.duration),
            seconds=2 * self.duration,
            limit=self.num_requests,
        )
        self.window_left = self.duration - now % self.duration
        return made <= self.num_requests

    def wait(self) -> float | None:
        return self.window_left
