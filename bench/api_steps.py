"""Where a score request's time goes, in-process (no HTTP, no gunicorn): bench_api runs
`python -m bench.api_steps steps '{"key": …, "ids": …}'` with DATABASE_URL set and prints one
JSON line. Each figure is µs a request, wall (the queries' round trips to PostgreSQL included)
and this process's CPU, the median of 3 batches of 500 requests on people drawn at random.

Whole requests go through Django's WSGI handler with every middleware, under
bench.api_settings: the view as it is, then with fewer queries, then the lighter view. Steps
are the same code called alone: the key look-up, DRF's throttle with the list of request times
it keeps per key at different lengths, each query, the rendering."""

import io
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any, cast

BATCH = 500
BATCHES = 3


def _timed(call: Callable[[], Any]) -> dict[str, int]:
    walls, cpus = [], []
    for _ in range(BATCHES):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(BATCH):
            call()
        walls.append((time.perf_counter() - wall) / BATCH * 1e6)
        cpus.append((time.process_time() - cpu) / BATCH * 1e6)
    return {"wall": round(statistics.median(walls)), "cpu": round(statistics.median(cpus))}


def steps(args: dict[str, Any]) -> dict[str, Any]:
    with open(args["ids"], encoding="ascii") as file:
        text = file.read()
    ids = [text[i : i + 10] for i in range(0, len(text), 10)]
    rng = random.Random(8)  # noqa: S311 (not a secret)

    def some() -> str:
        return rng.choice(ids)

    pieces = _pieces(args["key"], some, ids[0])
    return _requests(args["key"], some) | pieces | _redis(args["key"], args["redis"])


def _requests(key: str, some: Callable[[], str]) -> dict[str, Any]:
    """Whole requests through Django's WSGI handler, every middleware included."""
    from django.core.cache import cache
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    app = get_wsgi_application()

    def through_django(path: str) -> Callable[[], None]:
        def call() -> None:
            status = []
            environ = {
                "REQUEST_METHOD": "GET", "PATH_INFO": path % some(), "QUERY_STRING": f"key={key}",
                "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8768", "HTTP_HOST": "127.0.0.1",
                "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
                "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
            }  # fmt: skip
            start: Any = lambda s, h, e=None: status.append(s)  # noqa: E731
            body = b"".join(app(environ, start))
            if not status[0].startswith("200"):
                raise RuntimeError(f"{path}: {status[0]} {body[:200]!r}")

        return call

    for _ in range(300):  # warm-up: connection, caches, the key
        through_django("/bench/as-is/%s")()
        through_django("/bench/lighter/%s")()
    out: dict[str, Any] = {}
    requests = {
        "request as is (DRF, 4 queries with the health check)": "/bench/as-is/%s",
        "request, DRF without the handle query (3)": "/bench/no-nick/%s",
        "request, DRF with the one query (2)": "/bench/drf-sql/%s",
        "request, DRF with the one query and the fixed-window throttle": "/bench/drf-lean/%s",
        "request, lighter view (2: the health check and the one query)": "/bench/lighter/%s",
        "request, lighter view, query prepared": "/bench/lighter-prepared/%s",
    }
    for name, path in requests.items():
        cache.clear()  # DRF's throttle history starts empty for each
        out[name] = _timed(through_django(path))
    connection.settings_dict["CONN_HEALTH_CHECKS"] = False  # for a new connection
    cast(Any, connection).health_check_enabled = False  # and for this one
    for name, path in (
        ("request as is, no health check (3 queries)", "/bench/as-is/%s"),
        ("request, lighter view, no health check (1 query)", "/bench/lighter/%s"),
    ):
        cache.clear()
        out[name] = _timed(through_django(path))
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    cast(Any, connection).health_check_enabled = True
    return out


def _pieces(key: str, some: Callable[[], str], first: str) -> dict[str, Any]:
    """The same code called alone."""
    import orjson
    from django.core.cache import cache
    from django.db import connection
    from rest_framework.renderers import JSONRenderer

    from bench import api_candidate as candidate
    from marketplace.api_keys import ApiKeyThrottle, api_key_of
    from scoring import klout_selectors as klout
    from scoring.api import klout_views

    out: dict[str, Any] = {}
    out["step: the key (api_key_of, locmem cache hit)"] = _timed(lambda: api_key_of(key))
    api_key = api_key_of(key)

    class Req:
        auth = api_key

    request: Any = Req()  # all the throttle reads of a request
    throttle = ApiKeyThrottle()
    cache_key = throttle.get_cache_key(request, None)
    for length in (0, 6_000, 20_000, 60_000):
        cache.set(cache_key, [time.time()] * length, 60)
        out[f"step: DRF throttle, {length:,} request times kept"] = _timed(
            lambda: throttle.allow_request(request, cast(Any, None))
        )
    out["step: fixed-window throttle (one cache.incr)"] = _timed(
        lambda: candidate._throttled(api_key)
    )
    out["step: the health check (SELECT 1)"] = _timed(connection.is_usable)
    out["step: person query (ORM)"] = _timed(lambda: klout_views._person(some()))
    people = [klout_views._person(some()) for _ in range(2_000)]
    rng = random.Random(9)  # noqa: S311 (not a secret)
    out["step: handle and snapshot queries (klout_users)"] = _timed(
        lambda: klout.klout_users([rng.choice(people)])
    )
    out["step: snapshot query (_changes)"] = _timed(lambda: klout._changes([rng.choice(people)]))
    out["step: the one query (api_candidate.score_of)"] = _timed(lambda: candidate.score_of(some()))
    body = candidate.score_of(first)
    out["step: DRF JSONRenderer"] = _timed(lambda: JSONRenderer().render(body))
    out["step: orjson.dumps"] = _timed(lambda: orjson.dumps(body))
    return out


def _redis(key: str, url: str) -> dict[str, Any]:
    """What the same steps cost when the cache is Redis (as in production): every cache call
    is a round trip, and DRF's throttle moves its whole list each way."""
    from django.core.cache.backends.redis import RedisCache

    from marketplace.api_keys import ApiKeyThrottle, api_key_of

    redis = RedisCache(url, {})
    redis.clear()
    api_key = api_key_of(key)
    redis.set("bench-api-key", api_key, 60)
    out: dict[str, Any] = {}
    out["Redis: get of the cached key"] = _timed(lambda: redis.get("bench-api-key"))
    counter = "bench-api-counter"
    redis.set(counter, 0, 60)
    out["Redis: the fixed-window throttle's incr"] = _timed(lambda: redis.incr(counter))

    class Req:
        auth = api_key

    request: Any = Req()
    throttle = ApiKeyThrottle()
    throttle.cache = redis
    for length in (0, 6_000, 20_000):
        redis.set(throttle.get_cache_key(request, None), [time.time()] * length, 60)
        out[f"Redis: DRF throttle, {length:,} request times kept"] = _timed(
            lambda: throttle.allow_request(request, cast(Any, None))
        )
    redis.clear()
    return out


if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.api_settings"
    from bench.campaigns_world import setup

    setup()
    print(json.dumps(steps(json.loads(sys.argv[2]))))
