"""With the Celery broker down, what a request did is kept and it answers as if all went well;
the notifications it wrote are e-mailed by the sweep once the broker is back."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.eligibility import eligibility_refresh
from campaigns.models import Claim
from marketplace.celery import app
from marketplace.models import Notification
from marketplace.notifications import notifications_sweep
from marketplace.tasks import notifications_sweep_task
from tests.api.test_campaigns_v1 import call
from tests.campaigns.conftest import person_of

pytestmark = pytest.mark.django_db(transaction=True)

DEAD_BROKER = "redis://127.0.0.1:9/0"  # the discard port: nothing listens


@pytest.fixture
def broker_down(monkeypatch):
    """Tasks are sent to a broker nobody answers, as in production when Redis is down."""
    down = {"task_always_eager": False, "broker_url": DEAD_BROKER,
            "broker_connection_timeout": 0.5, "task_publish_retry": False}  # fmt: skip
    for key, value in down.items():
        monkeypatch.setitem(app.conf, key, value)
    _new_connections()
    yield
    _new_connections()


def _new_connections():
    """Celery keeps its connections and producers; the next task makes new ones."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


def test_a_claim_made_while_the_broker_is_down_answers_201_and_its_e_mail_follows(
    client, live_campaign, broker_down
):
    campaign = live_campaign()
    user = person_of().owner
    eligibility_refresh(campaign_id=campaign.pk)
    client.force_login(user)

    made = call(client, "post", "me/claims/", body={"campaign": campaign.pk},
                HTTP_IDEMPOTENCY_KEY="k1")  # fmt: skip

    assert made.status_code == 201
    assert Claim.objects.get().pk == made.json()["id"]
    waiting = Notification.objects.get(user=user, kind="perk_claim")
    assert waiting.emailed_at is None
    assert mail.outbox == []

    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    sent = notifications_sweep_task.apply().get()  # beat's run, five minutes on

    assert sent == 2  # the offer, written while the broker was down too, and the claim
    assert [m.to for m in mail.outbox] == [[user.email]] * 2
    assert not Notification.objects.filter(emailed_at=None).exists()
    assert notifications_sweep(now=timezone.now()) == 0  # nothing twice


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
