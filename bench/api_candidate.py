"""What bench_api measures against the score endpoint as it is, without changing the app, all
under /bench/ (bench.api_settings adds these paths to the site's):

- `lighter/<id>`: the lighter view recommended in docs/PERFORMANCE.md. A plain Django view:
  the same key look-up (api_key_of, cached per process), a fixed-window throttle with one
  cache increment instead of DRF's list of every request's time, one SQL query for the score
  and its three snapshots, orjson for the body. Same JSON, same errors.
- `drf-lean/<id>`: the DRF view kept (its schema too), with that query and that throttle;
  `drf-lean-memo/<id>`: the same, the key kept in the process's memory for 10 s (with Redis
  as the cache, api_key_of asks Redis on every request).
- `as-is/<id>` (the view as it is), `no-nick/<id>` (without the handle query the score does
  not use) and `drf-sql/<id>` (the one query, DRF's throttle), which bench.api_steps times
  in-process to tell where the time goes; `as-is-fixed-window/<id>`: the view as it is with
  the fixed-window throttle; `lighter-prepared/<id>`: the lighter view with its
  query prepared on the server (psycopg's prepare=True)."""

import time
from typing import Any

import orjson
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, throttling
from rest_framework.request import Request
from rest_framework.response import Response

from marketplace import urls as site
from marketplace.api_keys import ApiKeyThrottle, KeyUser, QueryKeyAuthentication, api_key_of
from marketplace.models import ApiKey
from scoring import klout_selectors as klout
from scoring.api import klout_views

# The score, and the score 1, 7 and 30 days before the score's day by the same model: one
# query, the person by its unique public id, each snapshot by its primary key (whatever the
# length of the history). Score day and model as in scoring.selectors.scored_day and
# klout_selectors._changes.
SCORE = """
SELECT p.score,
  (SELECT s.score FROM scoring_scoresnapshot s WHERE s.person_id = p.id
    AND s.day = coalesce(p.score_day, (now() AT TIME ZONE %(zone)s)::date) - 1
    AND s.model_version = coalesce(p.score_details ->> 'model', '')),
  (SELECT s.score FROM scoring_scoresnapshot s WHERE s.person_id = p.id
    AND s.day = coalesce(p.score_day, (now() AT TIME ZONE %(zone)s)::date) - 7
    AND s.model_version = coalesce(p.score_details ->> 'model', '')),
  (SELECT s.score FROM scoring_scoresnapshot s WHERE s.person_id = p.id
    AND s.day = coalesce(p.score_day, (now() AT TIME ZONE %(zone)s)::date) - 30
    AND s.model_version = coalesce(p.score_details ->> 'model', ''))
FROM scoring_person p
WHERE p.public_id = %(id)s AND NOT p.opted_out AND p.score IS NOT NULL
"""
NAMES = ("dayChange", "weekChange", "monthChange")


def score_of(klout_id: str, *, prepared: bool = False) -> dict[str, Any] | None:
    params = {"zone": settings.TIME_ZONE, "id": klout_id}
    if prepared:  # server-side binding, the plan kept by the connection
        connection.ensure_connection()
        row = connection.connection.execute(SCORE, params, prepare=True).fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(SCORE, params)
            row = cursor.fetchone()
    if row is None:
        return None
    now, *before = row
    changes = {
        name: 0.0 if then is None else round(now - then, 2)
        for name, then in zip(NAMES, before, strict=True)
    }
    return {"score": round(now, 2), "scoreDelta": changes, "bucket": klout.bucket(now)}


def _error(status: int, description: str, **headers: str) -> HttpResponse:
    body = orjson.dumps({"error": status, "description": description})
    return HttpResponse(body, status=status, content_type="application/json", headers=headers)


def _throttled(api_key: Any) -> int | None:
    """Seconds to wait when the key has made its requests of this window, else None: one
    counter a key and window (INCR on Redis), where DRF keeps every request's time."""
    rate: Any = ApiKeyThrottle()  # its limit and period, from the settings
    limit, period = rate.num_requests, rate.duration
    if limit is None or period is None:
        return None
    now = time.time()
    counter = f"throttle:api-key:{api_key.pk}:{int(now // period)}"
    try:
        made = cache.incr(counter)
    except ValueError:  # the window's first request
        cache.add(counter, 0, period * 2)
        made = cache.incr(counter)
    if made > limit:
        return int(period - now % period) + 1
    return None


class FixedWindowThrottle(throttling.BaseThrottle):
    """ApiKeyThrottle's limit, counted by _throttled."""

    def allow_request(self, request: Request, view: object) -> bool:
        if not isinstance(request.auth, ApiKey):
            return True
        self.seconds = _throttled(request.auth)
        return self.seconds is None

    def wait(self) -> float | None:
        return self.seconds


@csrf_exempt
def score(request: HttpRequest, klout_id: str, prepared: bool = False) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return _error(405, f'Method "{request.method}" not allowed.', Allow="GET, HEAD")
    key = request.GET.get("key", "").strip()
    if not key:
        return _error(403, "Give your API key as the key parameter.")
    api_key = api_key_of(key)
    if api_key is None:
        return _error(403, "This API key is not valid, or was revoked.")
    wait = _throttled(api_key)
    if wait is not None:
        return _error(429, f"Request was throttled. Expected available in {wait} seconds.",
                      **{"Retry-After": str(wait)})  # fmt: skip
    found = score_of(klout_id, prepared=prepared)
    if found is None:
        return _error(404, f"No user {klout_id}.")
    return HttpResponse(orjson.dumps(found), content_type="application/json")


class NoNick(klout_views.KloutView):
    """The DRF view as it is, less the handle query (the nick) the score never shows."""

    def get(self, request: Request, klout_id: str) -> Response:
        person = klout_views._person(klout_id)
        now = person.score or 0
        return Response({"score": round(now, 2), "scoreDelta": klout._changes([person])[person.pk],
                         "bucket": klout.bucket(now)})  # fmt: skip


class DrfSql(klout_views.KloutView):
    """The DRF view (auth, DRF's throttle, renderer) around the one query."""

    def get(self, request: Request, klout_id: str) -> Response:
        found = score_of(klout_id)
        if found is None:
            raise exceptions.NotFound(f"No user {klout_id}.")
        return Response(found)


class DrfLean(DrfSql):
    """The DRF view kept, with the one query and the fixed-window throttle."""

    throttle_classes = (FixedWindowThrottle,)


MEMO_SECONDS = 10
_memo: dict[str, tuple[float, ApiKey]] = {}


class MemoKeyAuthentication(QueryKeyAuthentication):
    """The key kept in this process's memory for MEMO_SECONDS after api_key_of found it, so
    that a shared (Redis) cache is asked once in that time, not on every request. A key revoked
    elsewhere still works here for up to that long."""

    def authenticate(self, request: Request) -> tuple[KeyUser, ApiKey] | None:
        key = request.query_params.get("key", "").strip()
        found = _memo.get(key)
        if found is None or found[0] <= time.monotonic():
            authenticated = super().authenticate(request)  # raises for a missing or bad key
            if authenticated is None:
                return None
            found = (time.monotonic() + MEMO_SECONDS, authenticated[1])
            _memo[key] = found
        return KeyUser(found[1]), found[1]


class DrfLeanMemo(DrfLean):
    """DrfLean, with the key kept in memory for a few seconds."""

    authentication_classes = (MemoKeyAuthentication,)


urlpatterns = [
    path("bench/lighter/<str:klout_id>", score),
    path("bench/lighter-prepared/<str:klout_id>", score, {"prepared": True}),
    path("bench/drf-lean/<str:klout_id>", DrfLean.as_view()),
    path("bench/drf-lean-memo/<str:klout_id>", DrfLeanMemo.as_view()),
    path("bench/as-is/<str:klout_id>", klout_views.Score.as_view()),
    path(
        "bench/as-is-fixed-window/<str:klout_id>",
        klout_views.Score.as_view(throttle_classes=(FixedWindowThrottle,)),
    ),
    path("bench/no-nick/<str:klout_id>", NoNick.as_view()),
    path("bench/drf-sql/<str:klout_id>", DrfSql.as_view()),
    *site.urlpatterns,
]
handler403 = site.handler403
handler404 = site.handler404
handler429 = site.handler429
handler500 = site.handler500
