"""With the shared cache (Redis) unreachable, as settings make it from a CACHE_URL: logins and
the partner API keep answering, the lockout and the rate limit are still enforced, and the
health check names the cache without taking the site out of service."""

import time

import pytest
from django.core.cache import caches
from django.db import connection

from marketplace import failover_cache, window_counts
from marketplace.api_keys import lookup
from marketplace.api_keys.lookup import api_key_of
from marketplace.api_keys.services import api_key_create, api_key_revoke
from marketplace.api_keys.throttling import ApiKeyThrottle
from marketplace.failover_cache import REDIS_BACKEND, cache_settings
from marketplace.models import ApiScope
from tests.factories import PASSWORD
from tests.faults import DEAD_REDIS, use_redis
from tests.scoring.worlds import alice

pytestmark = pytest.mark.django_db

LIVE_REDIS = "redis://127.0.0.1:6379/13"


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    monkeypatch.setattr(failover_cache, "_down_until", {})
    monkeypatch.setattr(window_counts, "_unshared", {})


def rows_in_the_database_cache():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sway_cache")  # failover_cache.DATABASE_TABLE
        return cursor.fetchone()[0]


def log_in(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_login_works_and_the_lockout_holds_without_redis(client, user, settings):
    use_redis(settings, DEAD_REDIS)

    wrong = [log_in(client, user.email, "wrong password").status_code for _ in range(5)]
    locked_out = log_in(client, user.email, PASSWORD)

    assert wrong == [200] * 5
    assert "Too many failed login attempts" in locked_out.content.decode()
    assert "_auth_user_id" not in client.session
    assert rows_in_the_database_cache() > 0  # counted where every process sees it


def test_the_right_password_signs_in_without_redis(client, user, settings):
    use_redis(settings, DEAD_REDIS)

    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_partner_api_answers_and_limits_without_redis(world, client, settings, monkeypatch):
    use_redis(settings, DEAD_REDIS)
    monkeypatch.setattr(ApiKeyThrottle, "THROTTLE_RATES", {"api-key": "2/min"})
    key = api_key_create(name="Partner", scope=ApiScope.READ).key
    path = f"/v2/user.json/{alice().public_id}/score"

    answers = [client.get(path, {"key": key}).status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_redis_is_not_asked_again_until_a_few_seconds_have_passed(settings, monkeypatch):
    use_redis(settings, DEAD_REDIS)
    cache = caches["default"]
    cache.set("a", 1)

    calls = []
    monkeypatch.setattr(caches["shared"], "get", lambda *args, **kwargs: calls.append(args) or None)
    assert cache.get("a") == 1  # from the database, without trying Redis
    assert calls == []
    monkeypatch.setitem(failover_cache._down_until, "shared", time.monotonic() - 1)
    assert cache.get("a") is None  # Redis tried again (and here, answering)
    assert len(calls) == 1


def test_a_key_revoked_while_redis_is_up_is_not_found_in_the_database_later(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    use_redis(settings, LIVE_REDIS)
    new = api_key_create(name="Partner", scope=ApiScope.READ)
    digest = new.api_key.digest
    caches["database"].set(f"api-key:{digest}", new.api_key, 60)  # left from an outage
    assert api_key_of(new.key) is not None

    with django_capture_on_commit_callbacks(execute=True):
        api_key_revoke(api_key=new.api_key)  # forgotten in both stores
    failover_cache._down_until["shared"] = time.monotonic() + 60  # another outage
    monkeypatch.setattr(lookup, "_remembered", {})  # another process

    assert api_key_of(new.key) is None


def test_health_names_the_cache_but_keeps_serving(client, settings):
    use_redis(settings, DEAD_REDIS)

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["degraded"] == ["cache"]
    assert body["checks"]["cache"].startswith("error: ")


def test_a_cache_url_for_redis_gets_short_timeouts_and_the_database_behind_it():
    made = cache_settings({"BACKEND": REDIS_BACKEND, "LOCATION": "redis://cache.internal/1"})

    assert made["default"]["BACKEND"] == "marketplace.failover_cache.FailoverCache"
    assert made["shared"]["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    assert made["database"]["LOCATION"] == failover_cache.DATABASE_TABLE
