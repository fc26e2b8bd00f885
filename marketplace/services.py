from datetime import datetime

from django.db import transaction
from django.utils import timezone

from marketplace.models import WorkerHeartbeat


@transaction.atomic
def heartbeat_record(*, source: str) -> datetime:
    seen_at = timezone.now()
    WorkerHeartbeat.objects.update_or_create(source=source, defaults={"seen_at": seen_at})
    return seen_at
