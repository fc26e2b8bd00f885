"""The broker and the cache both down (the app pointed at ports where nothing listens) while a
person claims a perk, signs in and a partner reads the API, and while a campaign goes live
and its offers fan out: every request answers as if all were well, and once the broker is
back, beat's next runs deliver everything that was accepted, each e-mail once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.eligibility import eligibility_refresh
from campaigns.models import Campaign, CampaignStatus, Claim, Eligibility
from campaigns.tasks import campaigns_advance_task
from marketplace.api_keys.services import api_key_create
from marketplace.models import ApiScope, Notification
from marketplace.tasks import notifications_sweep_task
from tests.api.test_campaigns_v1 import call
from tests.campaigns.conftest import person_of
from tests.factories import PASSWORD, UserFactory
from tests.faults import broker_down, cache_down  # noqa: F401  (fixtures)
from tests.scoring.worlds import alice

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("cache_down")]


def minutes_later():
    """Beat's sweep, five minutes on, e-mails what was written while the broker was down."""
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    return notifications_sweep_task.apply().get()


def test_a_claim_answers_201_and_its_e_mail_follows(client, live_campaign, broker_down):  # noqa: F811
    campaign = live_campaign()
    user = person_of().owner
    eligibility_refresh(campaign_id=campaign.pk)  # its offer's e-mail is lost with the broker
    client.force_login(user)

    made = call(client, "post", "me/claims/", body={"campaign": campaign.pk},
                HTTP_IDEMPOTENCY_KEY="k1")  # fmt: skip

    assert made.status_code == 201
    assert Claim.objects.get().pk == made.json()["id"]
    assert Notification.objects.get(user=user, kind="perk_claim").emailed_at is None
    assert mail.outbox == []
    broker_down()  # back

    assert minutes_later() == 2  # the offer and the claim
    assert [m.to for m in mail.outbox] == [[user.email]] * 2
    assert minutes_later() == 0  # nothing twice


@pytest.mark.usefixtures("broker_down")
def test_signing_in_works_and_the_lockout_holds(client):
    user = UserFactory()
    wrong = [
        client.post("/accounts/login/", {"login": user.email, "password": "nope"}).status_code
        for _ in range(5)
    ]
    right = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert wrong == [200] * 5
    assert "Too many failed login attempts" in right.content.decode()


@pytest.mark.usefixtures("broker_down")
def test_a_partner_reads_the_api(client, world):
    key = api_key_create(name="Partner", scope=ApiScope.READ).key

    answer = client.get(f"/api/v1/people/{alice().public_id}/", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert answer.status_code == 200


def test_a_campaign_that_goes_live_reaches_everyone_once_the_broker_is_back(
    live_campaign,
    broker_down,  # noqa: F811
):
    people = [person_of(score=70.0) for _ in range(5)]
    campaign = live_campaign(status=CampaignStatus.SCHEDULED)
    Campaign.objects.filter(pk=campaign.pk).update(starts_at=timezone.now() - timedelta(minutes=1))

    assert campaigns_advance_task.apply().get() == (1, 0, 0)  # its fan-out, queued, is lost
    assert not Eligibility.objects.exists()
    broker_down()  # back
    campaigns_advance_task.apply()  # beat's next minute

    assert Eligibility.objects.count() == len(people)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.owner.email for p in people)
    campaigns_advance_task.apply()
    assert minutes_later() == 0
    assert len(mail.outbox) == len(people)  # nothing twice
