"""A campaign's life: draft, submitted, reviewed, scheduled, active, paused, ended."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Campaign, Eligibility
from campaigns.services.brands import brand_create
from campaigns.services.lifecycle import (
    campaign_pause,
    campaign_resume,
    campaign_review,
    campaign_submit,
    campaigns_advance,
)
from marketplace.errors import ApplicationError
from tests.campaigns.conftest import person_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(password=None)


@pytest.fixture
def draft(owner, live_campaign):
    brand = brand_create(user=owner, name="Volt Motors", website="https://volt.example")
    campaign = live_campaign(status="draft", codes=10, starts_at=timezone.now() + timedelta(days=1))
    Campaign.objects.filter(pk=campaign.pk).update(brand=brand)
    campaign.refresh_from_db()
    return campaign


def status(campaign):
    return Campaign.objects.get(pk=campaign.pk).status


def test_a_campaign_goes_from_draft_to_ended(owner, draft, django_capture_on_commit_callbacks):
    person_of(score=80)
    now = timezone.now()

    campaign_submit(actor=owner, campaign=draft)
    campaign_review(campaign=draft, approve=True, now=now)
    assert status(draft) == "scheduled"
    with django_capture_on_commit_callbacks(execute=True):
        assert campaigns_advance(now=now + timedelta(days=1, minutes=1)) == (1, 0)
    assert status(draft) == "active"
    assert Eligibility.objects.count() == 1  # told as it started
    campaign_pause(actor=owner, campaign=draft)
    assert status(draft) == "paused"
    campaign_resume(actor=owner, campaign=draft, now=now + timedelta(days=2))
    assert status(draft) == "active"
    assert campaigns_advance(now=now + timedelta(days=30)) == (0, 1)
    assert status(draft) == "ended"


def test_a_rejection_says_why_and_the_brand_may_submit_again(owner, draft):
    campaign_submit(actor=owner, campaign=draft)

    with pytest.raises(ApplicationError, match="Say why"):
        campaign_review(campaign=draft, approve=False, note=" ", now=timezone.now())
    campaign_review(campaign=draft, approve=False, note="No disclosure.", now=timezone.now())

    draft.refresh_from_db()
    assert (draft.status, draft.review_note) == ("rejected", "No disclosure.")
    campaign_submit(actor=owner, campaign=draft)
    assert status(draft) == "submitted"


def test_a_code_perk_needs_a_code_for_each_unit(owner, draft):
    draft.codes.all()[:1].get().delete()

    with pytest.raises(ApplicationError, match="Upload at least 10 codes first"):
        campaign_submit(actor=owner, campaign=draft)
    assert status(draft) == "draft"


def test_moves_from_the_wrong_state_or_by_the_wrong_people_are_refused(owner, draft):
    with pytest.raises(ApplicationError, match="It is draft"):
        campaign_review(campaign=draft, approve=True, now=timezone.now())
    with pytest.raises(ApplicationError, match="You cannot do this for that brand"):
        campaign_submit(actor=UserFactory(password=None), campaign=draft)
    campaign_submit(actor=owner, campaign=draft)
    with pytest.raises(ApplicationError, match="ended on"):
        campaign_review(campaign=draft, approve=True, now=timezone.now() + timedelta(days=30))
    assert status(draft) == "submitted"


def test_staff_may_pause_any_campaign(live_campaign):
    campaign = live_campaign()

    campaign_pause(campaign=campaign)

    assert status(campaign) == "paused"


def test_a_campaign_that_ended_cannot_be_submitted(owner, draft):
    Campaign.objects.filter(pk=draft.pk).update(
        starts_at=timezone.now() - timedelta(days=30), ends_at=timezone.now() - timedelta(days=1)
    )
    draft.refresh_from_db()

    with pytest.raises(ApplicationError, match="It ends in the past"):
        campaign_submit(actor=owner, campaign=draft)
