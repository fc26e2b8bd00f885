from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.models import Notification, NotificationKind
from marketplace.notifications import notification_email, notification_send, notifications_sweep

pytestmark = pytest.mark.django_db


def send(user, kind=NotificationKind.PERK_OFFER, subject="A perk for you"):
    return notification_send(
        user=user, kind=kind, subject=subject, body="Coffee on us.", url="/inbox/"
    )


def test_a_notification_lands_in_the_inbox_and_is_emailed_once(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(user)

    assert [(m.to, m.subject) for m in mail.outbox] == [([user.email], "[Sway] A perk for you")]
    assert "http://127.0.0.1:8000/inbox/" in mail.outbox[0].body
    assert notification_email(notification_id=notification.pk) is False  # a task run twice
    assert len(mail.outbox) == 1

    client.force_login(user)
    page = client.get("/inbox/").content.decode()
    assert 'aria-label="1 unread">1</span>' in page
    assert "A perk for you" in page
    assert "Coffee on us." in page


def test_preferences_decide_what_is_emailed_but_account_news_always_is(
    client, user, django_capture_on_commit_callbacks
):
    client.force_login(user)
    client.post("/settings/notifications/", {"email_weekly_summary": "on"})  # perks unticked
    user.refresh_from_db()
    assert (user.email_perk_offers, user.email_weekly_summary) == (False, True)

    with django_capture_on_commit_callbacks(execute=True):
        send(user)
        send(user, NotificationKind.ACCOUNT, "Your handle moved")

    assert [m.subject for m in mail.outbox] == ["[Sway] Your handle moved"]
    assert Notification.objects.filter(user=user).count() == 2


def test_marking_all_read_clears_the_unread_count(client, user):
    send(user)
    client.force_login(user)

    response = client.post("/inbox/read/")

    assert response.status_code == 302
    assert Notification.objects.get(user=user).read_at is not None
    assert "unread" not in client.get("/inbox/").content.decode().split("<main")[0]


def test_an_empty_inbox_says_what_will_arrive(client, user):
    client.force_login(user)

    assert "Nothing here yet" in client.get("/inbox/").content.decode()


def test_a_users_inbox_is_their_own(client, user, django_user_model):
    send(user)
    other = django_user_model.objects.create_user("other@example.com", "pw-long-enough-1")
    client.force_login(other)

    assert "A perk for you" not in client.get("/inbox/").content.decode()


@pytest.mark.parametrize("count", [2, 40])
def test_the_inbox_runs_the_same_queries_whatever_its_size(
    client, user, django_assert_num_queries, count
):
    for _ in range(count):
        send(user)
    client.force_login(user)

    with django_assert_num_queries(5):  # session, user, count, page, unread count
        client.get("/inbox/")


def test_a_subject_with_a_line_break_is_e_mailed_on_one_line(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(user, subject="Volt\r\nBcc: everyone@example.com")

    assert [m.subject for m in mail.outbox] == ["[Sway] Volt Bcc: everyone@example.com"]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_one_message_the_mail_library_refuses_does_not_stop_its_batch(user, monkeypatch):
    from marketplace import notifications
    from marketplace.tasks import deliver_notifications_task

    first, refused, last = (
        Notification.objects.create(user=user, kind=NotificationKind.ACCOUNT, subject=s, body="b")
        for s in ("One", "Refused", "Three")
    )
    real_send = notifications.EmailMessage.send

    def send(message, **options):
        if "Refused" in message.subject:
            raise ValueError("Header values may not contain linefeeds")  # as Django's mail
        return real_send(message, **options)

    monkeypatch.setattr(notifications.EmailMessage, "send", send)

    sent = deliver_notifications_task.apply(args=[[first.pk, refused.pk, last.pk]]).get()

    assert sent == 2
    assert [m.subject for m in mail.outbox] == ["[Sway] One", "[Sway] Three"]
    assert list(Notification.objects.filter(emailed_at=None).values_list("subject", flat=True)) == [
        "Refused"
    ]


@pytest.mark.parametrize("offers", [True, False])
@pytest.mark.parametrize("summaries", [True, False])
def test_the_sweeps_query_wants_what_each_notification_wants(user, offers, summaries):
    from marketplace.models import wanting_email

    user.email_perk_offers, user.email_weekly_summary = offers, summaries
    user.save()
    for kind in NotificationKind:
        Notification.objects.create(user=user, kind=kind, subject=kind.label, body="b")

    wanted = set(Notification.objects.filter(wanting_email()).values_list("kind", flat=True))

    assert wanted == {n.kind for n in Notification.objects.all() if n.wants_email()}


def test_a_notification_is_taken_before_it_is_sent_and_given_back_if_the_server_refuses(
    user, monkeypatch
):
    from marketplace import notifications

    notification = Notification.objects.create(
        user=user, kind=NotificationKind.ACCOUNT, subject="Hello", body="b"
    )
    while_sending = []

    def server_down(message, **options):
        while_sending.append(notification_email(notification_id=notification.pk))
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(notifications.EmailMessage, "send", server_down)
    with pytest.raises(ConnectionRefusedError):
        notification_email(notification_id=notification.pk)

    assert while_sending == [False]  # a second worker finds it taken
    notification.refresh_from_db()
    assert (notification.emailed_at, notification.emailing_since) == (None, None)
    monkeypatch.undo()
    assert notification_email(notification_id=notification.pk) is True
    assert notification_email(notification_id=notification.pk) is False
    assert [m.subject for m in mail.outbox] == ["[Sway] Hello"]


def test_what_a_dead_worker_held_is_sent_by_the_sweep_once_it_has_held_it_too_long(user):
    now = timezone.now()
    held, dead = (
        Notification.objects.create(
            user=user,
            kind=NotificationKind.ACCOUNT,
            subject=subject,
            body="b",
            emailing_since=now - held_for,
        )
        for subject, held_for in (("Held", timedelta(minutes=1)), ("Dead", timedelta(minutes=6)))
    )
    Notification.objects.update(created_at=now - timedelta(minutes=10))

    assert notifications_sweep(now=now) == 1
    assert notification_email(notification_id=held.pk) is False  # its worker is still on it
    assert [m.subject for m in mail.outbox] == ["[Sway] Dead"]
    dead.refresh_from_db()
    assert dead.emailed_at is not None


def test_every_attempt_at_a_notification_carries_the_same_message_id(user, settings):
    settings.SITE_URL = "https://sway.example"
    notification = Notification.objects.create(
        user=user, kind=NotificationKind.ACCOUNT, subject="Hello", body="b"
    )

    notification_email(notification_id=notification.pk)
    Notification.objects.update(emailed_at=None)  # as if the mark had been lost in a crash
    notification_email(notification_id=notification.pk)

    ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert ids == {f"<notification.{notification.pk}@sway.example>"}


def test_the_sweep_leaves_young_and_unwanted_notifications_alone(user):
    fresh = Notification.objects.create(user=user, kind="account", subject="New", body="b")
    offer = Notification.objects.create(user=user, kind="perk_offer", subject="Offer", body="b")
    user.email_perk_offers = False
    user.save()
    Notification.objects.filter(pk=offer.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )

    assert notifications_sweep(now=timezone.now()) == 0
    assert notifications_sweep(now=timezone.now() + timedelta(minutes=10)) == 1
    fresh.refresh_from_db()
    assert fresh.emailed_at is not None
    assert [m.subject for m in mail.outbox] == ["[Sway] New"]
