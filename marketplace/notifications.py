"""Notifications: written in the same transaction as the fact they report, read in the inbox,
and e-mailed afterwards by a task when the user's preferences say so."""

import logging
from datetime import datetime, timedelta
from itertools import batched
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from marketplace.models import Notification, NotificationKind, User, wanting_email
from marketplace.queueing import queue_on_commit
from marketplace.text import single_line

BATCH = 1000
SWEEP_GRACE = timedelta(minutes=5)  # the time a queued e-mail normally takes, and more
SWEEP_BATCH = 5000
# A worker that has not finished e-mailing a notification in this long died doing it; far
# longer than a send can take (the SMTP timeout is 10 s).
TAKEN_FOR = timedelta(minutes=5)

logger = logging.getLogger(__name__)


@transaction.atomic
def notification_send(
    *, user: User, kind: NotificationKind, subject: str, body: str, url: str = ""
) -> Notification:
    notification = Notification(user=user, kind=kind, subject=subject, body=body, url=url)
    notification.full_clean()
    notification.save()
    if notification.wants_email():
        queue_on_commit("marketplace.tasks.deliver_notification_task", notification.pk)
    return notification


@transaction.atomic
def notifications_send_many(*, notifications: list[Notification]) -> int:
    """Many notifications in one INSERT (a campaign's newly eligible people), with their
    users loaded; their e-mail is queued in batches once the transaction commits."""
    created = Notification.objects.bulk_create(notifications, batch_size=BATCH)
    wanted = [n.pk for n in created if n.wants_email()]
    for ids in batched(wanted, BATCH):
        queue_on_commit("marketplace.tasks.deliver_notifications_task", list(ids))
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
        wanting_email(), _free_to_email(now), created_at__lt=now - SWEEP_GRACE
    ).order_by("created_at")
    return notifications_email(
        notification_ids=list(unsent.values_list("pk", flat=True)[:SWEEP_BATCH])
    )


def _free_to_email(now: datetime) -> Q:
    """Not e-mailed, and not being e-mailed: never taken, or taken by a worker that died."""
    return Q(emailed_at=None) & (Q(emailing_since=None) | Q(emailing_since__lt=now - TAKEN_FOR))


def notification_email(*, notification_id: int) -> bool:
    """E-mail the notification unless it was, or is being; True when this call sent it.

    The notification is taken (`emailing_since`, committed) before its message goes out and
    marked e-mailed once the server has accepted it. So a task delivered again while a worker
    sends it, or after a worker was killed, finds it taken and sends nothing; the sweep sends
    what a dead worker held once TAKEN_FOR has passed. Only a crash between the server's
    acceptance and the mark can send it twice, and the message's fixed Message-ID lets mail
    systems drop that twin. A message the server or the mail library refuses is given back,
    for a retry or the sweep."""
    taken_at = timezone.now()
    with transaction.atomic():
        taken = Notification.objects.filter(_free_to_email(taken_at), pk=notification_id).update(
            emailing_since=taken_at, updated_at=taken_at
        )
    if not taken:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    held = Notification.objects.filter(pk=notification_id, emailing_since=taken_at)
    try:
        _message(notification).send()
    except (OSError, ValueError):
        held.update(emailing_since=None)
        raise
    held.update(emailed_at=timezone.now(), emailing_since=None)
    return True


def _message(notification: Notification) -> EmailMessage:
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    domain = urlsplit(settings.SITE_URL).hostname or "sway.localhost"
    return EmailMessage(
        subject=single_line(f"[Sway] {notification.subject}"),
        body=f"{notification.body}{link}\n\n— Sway. Change what we e-mail you: "
        f"{settings.SITE_URL}/settings/notifications/",
        to=[notification.user.email],
        # The same for every attempt, so that a message sent twice is seen as one.
        headers={"Message-ID": f"<notification.{notification.pk}@{domain}>"},
    )


@transaction.atomic
def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


def inbox(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)
