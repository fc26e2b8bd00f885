"""The real path: a Celery worker process, Redis as broker, tasks sent from another process."""

import uuid

import pytest

from marketplace.models import WorkerHeartbeat
from tests.support import run_manage, shared_database_url, start_worker

REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def worker_environment(transactional_db):
    return {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": shared_database_url(),
        "CELERY_BROKER_URL": REDIS,
        "CELERY_RESULT_BACKEND": REDIS,
    }


@pytest.fixture
def worker(worker_environment):
    """A worker consuming a queue of its own, so that nothing else on the broker interferes."""
    queue = f"test-{uuid.uuid4().hex}"
    process = start_worker(worker_environment, queue, "--pool=solo")
    yield queue
    process.terminate()
    output, _ = process.communicate(timeout=30)
    assert "ERROR" not in output, output


@pytest.mark.worker
def test_worker_round_trips_a_task_that_writes_to_the_database(worker, worker_environment):
    send_and_wait = (
        "from marketplace.tasks import heartbeat_task; "
        f"print(heartbeat_task.apply_async(args=['round-trip'], queue='{worker}').get(timeout=60))"
    )

    result = run_manage("shell", "--no-imports", "-c", send_and_wait, **worker_environment)

    assert result.returncode == 0, result.stderr
    heartbeat = WorkerHeartbeat.objects.get(source="round-trip")
    assert result.stdout.strip() == heartbeat.seen_at.isoformat()
