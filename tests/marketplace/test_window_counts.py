"""Requests counted per client and window in a shared Redis, in batches above a limit of
400; and an API key over its rate refused with Redis as the cache, as in production."""

import uuid

import pytest
from django.core.cache import caches
from redis import Redis

from marketplace import window_counts
from marketplace.api_keys.services import api_key_create
from marketplace.api_keys.throttling import ApiKeyThrottle
from marketplace.models import ApiScope
from marketplace.window_counts import window_count
from tests.scoring.worlds import alice

REDIS = "redis://127.0.0.1:6379/12"


@pytest.fixture(autouse=True)
def redis_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    window_counts._unshared.clear()  # this process has counted nothing yet
    return Redis.from_url(REDIS)


def another_process(monkeypatch):
    monkeypatch.setattr(window_counts, "_unshared", {})


def shared(redis, client, window):
    return int(redis.get(caches["default"].make_and_validate_key(f"{client}:{window}")) or 0)


def test_under_400_a_limit_is_counted_request_by_request(redis_cache, monkeypatch):
    client = uuid.uuid4().hex

    counts = [window_count(client, window=7, seconds=120, limit=399) for _ in range(3)]
    another_process(monkeypatch)
    theirs = window_count(client, window=7, seconds=120, limit=399)

    assert (counts, theirs, shared(redis_cache, client, 7)) == ([1, 2, 3], 4, 4)
    assert 0 < redis_cache.ttl(caches["default"].make_and_validate_key(f"{client}:7")) <= 120


def test_above_400_each_process_adds_its_requests_in_batches(redis_cache, monkeypatch):
    client = uuid.uuid4().hex  # a limit of 2,000: batches of 10

    mine = [window_count(client, window=1, seconds=120, limit=2000) for _ in range(25)]
    assert mine == list(range(1, 26))  # as this process knows it
    assert shared(redis_cache, client, 1) == 20  # two batches added, five to come
    another_process(monkeypatch)
    theirs = [window_count(client, window=1, seconds=120, limit=2000) for _ in range(10)]

    assert theirs[:9] == list(range(1, 10))  # not added yet: they know only their own
    assert theirs[9] == 30  # their batch added, and ours seen
    assert shared(redis_cache, client, 1) == 30


def test_a_new_window_starts_from_nothing(redis_cache):
    client = uuid.uuid4().hex
    for _ in range(12):
        window_count(client, window=1, seconds=120, limit=2000)

    assert window_count(client, window=2, seconds=120, limit=2000) == 1
    assert shared(redis_cache, client, 2) == 0


def test_a_batch_is_never_more_than_20_requests(redis_cache):
    client = uuid.uuid4().hex

    for _ in range(40):
        window_count(client, window=1, seconds=120, limit=1_000_000)

    assert shared(redis_cache, client, 1) == 40


@pytest.mark.django_db
def test_a_key_over_its_rate_is_refused_with_redis_as_the_cache(world, client, monkeypatch):
    monkeypatch.setattr(ApiKeyThrottle, "THROTTLE_RATES", {"api-key": "2/min"})
    key = api_key_create(name="Partner", scope=ApiScope.READ).key
    path = f"/v2/user.json/{alice().public_id}/score"

    answers = [client.get(path, {"key": key}).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
