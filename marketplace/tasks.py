import logging

from celery import shared_task

from marketplace.notifications import notification_email
from marketplace.services import heartbeat_record

logger = logging.getLogger(__name__)


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
    """E-mail a batch of notifications; a retry skips the ones already sent. A message the
    mail library refuses is logged and left unsent, and the batch goes on; a mail server that
    is down (OSError) stops it to be retried."""
    sent = 0
    for pk in notification_ids:
        try:
            sent += notification_email(notification_id=pk)
        except ValueError:  # a header the mail library refuses: this message, not the server
            logger.exception("Notification %s could not be e-mailed", pk)
    return sent
