from celery import shared_task

from marketplace.services import heartbeat_record


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=60, max_retries=3)
def heartbeat_task(source: str) -> str:
    """Record that a worker picked up work; beat queues it every minute (see settings)."""
    return heartbeat_record(source=source).isoformat()
