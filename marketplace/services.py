from datetime import datetime

from django.db import transaction
from django.utils import timezone

from marketplace.models import User, WorkerHeartbeat


@transaction.atomic
def heartbeat_record(*, source: str) -> datetime:
    seen_at = timezone.now()
    WorkerHeartbeat.objects.update_or_create(source=source, defaults={"seen_at": seen_at})
    return seen_at


@transaction.atomic
def user_update_email_preferences(
    *, user: User, email_perk_offers: bool, email_weekly_summary: bool
) -> User:
    user.email_perk_offers = email_perk_offers
    user.email_weekly_summary = email_weekly_summary
    user.save(update_fields=["email_perk_offers", "email_weekly_summary"])
    return user
