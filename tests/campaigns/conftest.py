from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Brand, Campaign, CampaignStatus, Code, Membership, PerkType, Role
from scoring.models import Person
from tests.factories import UserFactory


def person_of(user=None, score=50.0, **fields):
    """A scored person whose profile is the user's."""
    owner = user or UserFactory(password=None)  # no password to hash: fast
    return Person.objects.create(owner=owner, score=score, **fields)


@pytest.fixture
def brand(db):
    brand = Brand.objects.create(name="Acme", slug="acme")
    Membership.objects.create(brand=brand, user=UserFactory(), role=Role.OWNER)
    return brand


@pytest.fixture
def live_campaign(brand):
    """An active code perk: 10 units, for scores from 40, with 12 codes in the pool."""

    def make(quantity=10, codes=12, **fields):
        now = timezone.now()
        defaults = {
            "title": "Early screening",
            "description": "See it first.",
            "perk_type": PerkType.CODE,
            "min_score": 40,
            "starts_at": now - timedelta(days=1),
            "ends_at": now + timedelta(days=7),
            "status": CampaignStatus.ACTIVE,
        }
        campaign = Campaign.objects.create(brand=brand, quantity=quantity, **{**defaults, **fields})
        Code.objects.bulk_create(Code(campaign=campaign, code=f"CODE-{n:03}") for n in range(codes))
        return campaign

    return make
