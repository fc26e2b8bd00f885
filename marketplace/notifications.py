"""Notifications: written in the same transaction as the fact they report, read in the inbox,
and e-mailed afterwards by a task when the user's preferences say so."""

import logging
from datetime import datetime, timedelta
from itertools import batched

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from marketplace.models import Notification, NotificationKind, User, wanting_email
from marketplace.queueing import queue_on_commit
from marketplace.text import single_line

BATCH = 1000
SWEEP_GRACE = timedelta(minutes=5)  # the time a queued e-mail normally takes, and more
SWEEP_BATCH = 5000

logger = logging.getLogger(__name__)


@transaction.atomic
def notification_send(
    *, user: User, kind: NotificationKind, subject: str, body: str, url: str = ""
) -> Notification:
    from marketplace.tasks import deliver_notification_task

    notification = Notification(user=user, kind=kind, subject=subject, body=body, url=url)
    notification.full_clean()
    notification.save()
    if notification.wants_email():
        queue_on_commit(deliver_notification_task, notification.pk)
    return notification


@transaction.atomic
def notifications_send_many(*, notifications: list[Notification]) -> int:
    """Many notifications in one INSERT (a campaign's newly eligible people), with their
    users loaded; their e-mail is queued in batches once the transaction commits."""
    from marketplace.tasks import deliver_notifications_task

    created = Notification.objects.bulk_create(notifications, batch_size=BATCH)
    wanted = [n.pk for n in created if n.wants_email()]
    for ids in batched(wanted, BATCH):
        queue_on_commit(deliver_notifications_task, list(ids))
    return len(created)


def notifications_email(*, notification_ids: list[int]) -> int:
    """E-mail these notifications, each at most once; how many this call sent. A message the
    mail library refuses is logged and left unsent, and the rest go on; a mail server that is
    down (OSError) stops them, for the caller to try again."""
    sent = 0
    for pk in notification_ids:
        try:
            sent += notification_email(notification_id=pk)
        except ValueError:  # a header the mail library refuses: this message, not the server
            logger.exception("Notification %s could not be e-mailed", pk)
    return sent


def notifications_sweep(*, now: datetime) -> int:
    """E-mail the notifications that want it and were not e-mailed within SWEEP_GRACE of being
    written, oldest first, SWEEP_BATCH at a time: their task was lost (the broker was down
    when it was queued, or a worker died with it). Returns how many were sent."""
    unsent = Notification.objects.filter(
        wanting_email(), emailed_at=None, created_at__lt=now - SWEEP_GRACE
    ).order_by("created_at")
    return notifications_email(
        notification_ids=list(unsent.values_list("pk", flat=True)[:SWEEP_BATCH])
    )


def notification_email(*, notification_id: int) -> bool:
    """E-mail the notification unless it was already; True when this call sent it.

    At most once: the notification is marked e-mailed, and the mark committed, before the
    message goes out, so a worker killed while sending, whose task is then delivered again,
    never sends it twice (a crash mid-send cannot be told from a send). A message the server
    or the mail library refuses has its mark taken back, for a retry or the sweep."""
    now = timezone.now()
    with transaction.atomic():
        taken = Notification.objects.filter(pk=notification_id, emailed_at=None).update(
            emailed_at=now, updated_at=now
        )
    if not taken:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    try:
        send_mail(
            subject=single_line(f"[Sway] {notification.subject}"),
            message=f"{notification.body}{link}\n\n— Sway. Change what we e-mail you: "
            f"{settings.SITE_URL}/settings/notifications/",
            from_email=None,
            recipient_list=[notification.user.email],
        )
    except (OSError, ValueError):
        Notification.objects.filter(pk=notification_id, emailed_at=now).update(emailed_at=None)
        raise
    return True


@transaction.atomic
def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


def inbox(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)
