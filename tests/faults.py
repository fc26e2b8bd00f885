"""Dependencies made to fail as they do in production: the app pointed at ports where nothing
listens, for the broker (Celery) and the shared cache (Redis)."""

import pytest
from kombu import pools

from marketplace import failover_cache, window_counts
from marketplace.celery import app
from marketplace.failover_cache import REDIS_BACKEND, cache_settings

DEAD_BROKER = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    """Tasks are sent to a broker nobody answers, as in production when Redis is down; call
    what it gives to bring the broker back (tasks run in-process again, as in all tests)."""
    down = {"task_always_eager": False, "broker_url": DEAD_BROKER,
            "broker_connection_timeout": 0.5, "task_publish_retry": False}  # fmt: skip
    before = {key: app.conf[key] for key in down}

    def back():
        app.conf.update(before)
        _new_connections()

    app.conf.update(down)
    _new_connections()
    yield back
    back()


def _new_connections():
    """Celery keeps its connections and producers; the next task makes new ones."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu's producer pools, shared by every app in the process


def use_redis(settings, url):
    """The caches settings make from CACHE_URL=url, in a process that has seen none yet."""
    settings.CACHES = cache_settings({"BACKEND": REDIS_BACKEND, "LOCATION": url})
    failover_cache._down_until.clear()
    window_counts._unshared.clear()


@pytest.fixture
def cache_down(settings):
    use_redis(settings, DEAD_REDIS)
    yield
    failover_cache._down_until.clear()
