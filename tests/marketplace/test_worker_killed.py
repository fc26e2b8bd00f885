"""A worker killed with SIGKILL in the middle of e-mailing a batch of notifications, against a
real broker (Redis) and a real SMTP server: every notification reaches its person exactly
once, within the sweep's few minutes, whether the task comes back at once (a pool process
killed: the worker hands it back) or only after the broker's visibility timeout (the whole
worker killed)."""

import os
import signal
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db.models import F
from django.utils import timezone

from marketplace.models import Notification, NotificationKind
from marketplace.notifications import notifications_email, notifications_sweep
from tests.factories import UserFactory
from tests.smtp_server import SmtpInbox, mailer, smtp_server
from tests.support import run_manage, shared_database_url, start_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REDIS = "redis://127.0.0.1:6379/14"
BATCH = 8
DELIVERED_BEFORE_THE_KILL = 3


@pytest.fixture
def inbox(settings):
    inbox = SmtpInbox(rcpt_delay=0.4)  # a kill lands while a message is being handed over
    with smtp_server(inbox) as controller:
        settings.MAILERS = {"default": mailer(controller)}
        inbox.url = f"smtp://{controller.hostname}:{controller.port}"
        yield inbox


def notifications():
    people = UserFactory.create_batch(BATCH)
    return [
        Notification.objects.create(
            user=person, kind=NotificationKind.ACCOUNT, subject="Hello", body="b"
        ).pk
        for person in people
    ]


def deliver_in_a_worker(inbox, ids, *options):
    environment = {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": shared_database_url(),
        "CELERY_BROKER_URL": REDIS,
        "EMAIL_URL": inbox.url,
    }
    queue = f"test-{uuid.uuid4().hex}"
    worker = start_worker(environment, queue, *options)
    send = (
        "from marketplace.tasks import deliver_notifications_task; "
        f"deliver_notifications_task.apply_async(args=[{ids}], queue='{queue}')"
    )
    sent = run_manage("shell", "--no-imports", "-c", send, **environment)
    assert sent.returncode == 0, sent.stderr
    inbox.wait_for_count(DELIVERED_BEFORE_THE_KILL)
    time.sleep(inbox.rcpt_delay / 2)  # into the hand-over of the next one
    return worker


def message_ids(inbox):
    return sorted(message["Message-ID"] for message in inbox.messages)


def exactly_once(ids):
    return sorted(f"<notification.{pk}@127.0.0.1>" for pk in ids)


def beat_sweeps_minutes_later():
    ten_minutes = timedelta(minutes=10)
    Notification.objects.update(created_at=F("created_at") - ten_minutes)
    Notification.objects.exclude(emailing_since=None).update(
        emailing_since=F("emailing_since") - ten_minutes
    )
    return notifications_sweep(now=timezone.now())


def test_a_pool_process_killed_mid_batch(inbox):
    ids = notifications()
    worker = deliver_in_a_worker(inbox, ids, "--pool=prefork", "--concurrency=1")
    (child,) = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()

    os.kill(int(child), signal.SIGKILL)
    # The worker hands the task back and runs it again: all but the one that was in flight.
    inbox.wait_for_count(BATCH - 1)
    worker.terminate()
    worker.communicate(timeout=30)

    assert len(inbox.messages) == BATCH - 1
    assert beat_sweeps_minutes_later() == 1
    assert message_ids(inbox) == exactly_once(ids)
    assert not Notification.objects.filter(emailed_at=None).exists()


def test_the_whole_worker_killed_mid_batch(inbox):
    ids = notifications()
    worker = deliver_in_a_worker(inbox, ids, "--pool=solo")

    worker.send_signal(signal.SIGKILL)
    worker.communicate(timeout=30)

    assert len(inbox.messages) == DELIVERED_BEFORE_THE_KILL  # the rest waits in the broker
    assert beat_sweeps_minutes_later() == BATCH - DELIVERED_BEFORE_THE_KILL
    assert notifications_email(notification_ids=ids) == 0  # the task back, an hour on
    assert message_ids(inbox) == exactly_once(ids)
