import json

import pytest

from marketplace.celery import app as celery_app
from marketplace.services import heartbeat_record
from tests.support import run_manage

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
LOCAL_REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def broker(settings, monkeypatch):
    """Configure a broker URL for the health check, as CELERY_BROKER_URL does in production."""

    def configure(url):
        settings.CELERY_BROKER_URL = url
        monkeypatch.setattr(celery_app.conf, "broker_url", url)

    return configure


def test_healthy_when_the_database_answers(client):
    heartbeat_record(source="worker")

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok"}
    assert body["worker_last_seen"] is not None


def test_checks_the_broker_when_one_is_configured(client, broker):
    broker(LOCAL_REDIS)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_names_the_broker_when_it_does_not_answer(client, broker):
    broker(UNREACHABLE_REDIS)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failing"] == ["broker"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error: ")


def test_checks_a_shared_cache_when_one_is_configured(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": LOCAL_REDIS,
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}


def test_names_the_database_when_it_does_not_answer():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.test import Client; r = Client().get('/healthz'); "
        "print(r.status_code); print(r.content.decode())",
        DJANGO_SECRET_KEY="health-test",
        DJANGO_HTTPS="false",
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere",
    )

    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split("\n", 1)
    assert status == "503"
    assert json.loads(body)["failing"] == ["database"]
