from celery import shared_task
from django.utils import timezone

from campaigns.eligibility import eligibility_refresh, eligibility_refresh_all
from campaigns.services.brands import invitation_email
from campaigns.services.lifecycle import campaigns_advance
from campaigns.services.waitlist import reservations_expire


@shared_task(autoretry_for=(Exception,), retry_backoff=30, max_retries=5)
def eligibility_refresh_task(campaign_id: int) -> dict[str, int]:
    """A campaign's eligible people, when it starts. Someone already told is never told
    again, so a retry is safe."""
    return eligibility_refresh(campaign_id=campaign_id).__dict__


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def eligibility_refresh_all_task() -> int:
    """Every live campaign, after each scoring run (settings.SCORING_AFTER_RUN)."""
    return eligibility_refresh_all()


@shared_task
def campaigns_advance_task() -> tuple[int, int, int]:
    """Every minute (beat): start and end campaigns on time, and pass units held too long
    down the waitlist."""
    now = timezone.now()
    started, ended = campaigns_advance(now=now)
    return started, ended, reservations_expire(now=now)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def invitation_email_task(invitation_id: int) -> None:
    """E-mail an invitation; a mail server that is down is retried, with growing waits."""
    invitation_email(invitation_id=invitation_id)
