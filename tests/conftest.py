import pytest
from celery.result import allow_join_result
from django.core.cache import cache

from tests.coverage_gate import pytest_runtestloop  # noqa: F401  (the engine's 100 % gate)
from tests.factories import UserFactory
from tests.scoring.worlds import scored_world


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth's rate limits count in the cache; each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _results_may_be_read():
    """Celery says "a task is running here" with one global flag, which eager tasks run in
    several threads at once (the concurrency tests) can leave set, making a later test's
    `result.get()` refuse; each test starts with it clear."""
    with allow_join_result():
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path_factory):
    """Uploaded pictures go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def world(tmp_path, db):
    """A small world scored by the pipeline (tests.scoring.worlds.scored_world)."""
    scored_world(tmp_path)


def pytest_collection_modifyitems(items):
    """Spark's tests first: they share one xdist worker (one JVM), the run's longest unit,
    which then overlaps the other tests instead of trailing them."""
    items.sort(key=lambda item: item.get_closest_marker("spark") is None)
