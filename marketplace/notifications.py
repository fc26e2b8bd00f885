"""Notifications: written in the same transaction as the fact they report, read in the inbox,
and e-mailed afterwards by a task when the user's preferences say so."""

from itertools import batched

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from marketplace.models import Notification, NotificationKind, User
from marketplace.text import single_line

BATCH = 1000


@transaction.atomic
def notification_send(
    *, user: User, kind: NotificationKind, subject: str, body: str, url: str = ""
) -> Notification:
    from marketplace.tasks import deliver_notification_task

    notification = Notification(user=user, kind=kind, subject=subject, body=body, url=url)
    notification.full_clean()
    notification.save()
    if notification.wants_email():
        transaction.on_commit(lambda: deliver_notification_task.delay(notification.pk))
    return notification


@transaction.atomic
def notifications_send_many(*, notifications: list[Notification]) -> int:
    """Many notifications in one INSERT (a campaign's newly eligible people), with their
    users loaded; their e-mail is queued in batches once the transaction commits."""
    from marketplace.tasks import deliver_notifications_task

    created = Notification.objects.bulk_create(notifications, batch_size=BATCH)
    wanted = [n.pk for n in created if n.wants_email()]
    if wanted:
        transaction.on_commit(
            lambda: [deliver_notifications_task.delay(list(ids)) for ids in batched(wanted, BATCH)]
        )
    return len(created)


@transaction.atomic
def notification_email(*, notification_id: int) -> bool:
    """E-mail the notification unless it was already; True when this call sent it."""
    notification = (
        Notification.objects.select_for_update()
        .select_related("user")
        .filter(pk=notification_id, emailed_at=None)
        .first()
    )
    if notification is None:
        return False
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    send_mail(
        subject=single_line(f"[Sway] {notification.subject}"),
        message=f"{notification.body}{link}\n\n— Sway. Change what we e-mail you: "
        f"{settings.SITE_URL}/settings/notifications/",
        from_email=None,
        recipient_list=[notification.user.email],
    )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at", "updated_at"])
    return True


@transaction.atomic
def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


def inbox(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)
