from celery import shared_task
from django.utils import timezone

from marketplace.notifications import notification_email, notifications_email, notifications_sweep
from marketplace.services import heartbeat_record


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=60, max_retries=3)
def heartbeat_task(source: str) -> str:
    """Record that a worker picked up work; beat queues it every minute (see settings)."""
    return heartbeat_record(source=source).isoformat()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def deliver_notification_task(notification_id: int) -> bool:
    """E-mail a notification; a mail server that is down is retried, with growing waits."""
    return notification_email(notification_id=notification_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def deliver_notifications_task(notification_ids: list[int]) -> int:
    """E-mail a batch of notifications; a retry skips the ones already sent."""
    return notifications_email(notification_ids=notification_ids)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=3)
def notifications_sweep_task() -> int:
    """Every few minutes (beat): e-mail what a lost task did not. Each notification is sent at
    most once, whoever sends it, so a retry or a run beside a late task is safe."""
    return notifications_sweep(now=timezone.now())
