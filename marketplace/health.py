"""/healthz: is this web process able to serve? Load balancers and uptime checks poll it."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from marketplace.celery import app as celery_app
from marketplace.failover_cache import SHARED
from marketplace.models import WorkerHeartbeat

BROKER_TIMEOUT_SECONDS = 2.0
logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_broker() -> None:
    with celery_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def _check_cache() -> None:
    # The shared store itself: the default cache would answer from the database without it.
    cache = caches[SHARED if SHARED in settings.CACHES else "default"]
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was just stored")


# Checks whose failure leaves the site serving, more slowly: the database stands in for Redis.
def _degrades() -> set[str]:
    return {"cache"} if SHARED in settings.CACHES else set()


def _checks() -> dict[str, Callable[[], None]]:
    checks = {"database": _check_database}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_broker
    if "LocMemCache" not in settings.CACHES["default"]["BACKEND"]:
        checks["cache"] = _check_cache
    return checks


def _last_worker_heartbeat() -> str | None:
    beat = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return beat.isoformat() if beat else None


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in _checks().items():
        try:
            check()
        except Exception as error:  # any failure at all means "not healthy"
            # Only the kind of error: its message can name hosts and users.
            logger.warning("healthz: %s check failed", name, exc_info=True)
            results[name] = f"error: {type(error).__name__}"
        else:
            results[name] = "ok"
    degraded = [name for name in _degrades() if results.get(name, "ok") != "ok"]
    failing = [name for name, result in results.items() if result != "ok" and name not in degraded]
    status = "fail" if failing else "degraded" if degraded else "ok"
    body: dict[str, object] = {"status": status, "checks": results}
    if degraded:
        body["degraded"] = degraded
    if failing:
        body["failing"] = failing
    else:
        body["worker_last_seen"] = _last_worker_heartbeat()
        for report in settings.HEALTH_REPORTS:  # the apps' own, e.g. a stream's lag
            body.update(import_string(report)())
    return JsonResponse(body, status=503 if failing else 200)
