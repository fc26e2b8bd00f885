"""Campaigns' writes take their locks in the order campaigns.lock_objects states."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from campaigns.models import Campaign, Code, Membership, Role
from campaigns.services.brands import member_remove
from campaigns.services.waitlist import reservations_expire, units_release, waitlist_join
from tests.campaigns.conftest import person_of
from tests.factories import UserFactory
from tests.lock_order import is_locked, waiting_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row locks"),
]


def test_an_expiring_hold_gives_its_unit_back_before_its_code(live_campaign):
    campaign = live_campaign(quantity=1, codes=1)
    user = person_of().owner
    Campaign.objects.filter(pk=campaign.pk).update(taken=1)  # sold out
    waitlist_join(user=user, campaign_id=campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(taken=0)  # a unit came back
    with transaction.atomic():
        units_release(campaign_id=campaign.pk)
    code = Code.objects.get(claim__user=user)
    later = timezone.now() + timedelta(days=2)

    with waiting_for(campaign, lambda: reservations_expire(now=later)):
        assert not is_locked(code)

    assert Code.objects.get(pk=code.pk).claim is None
    assert Campaign.objects.get(pk=campaign.pk).taken == 0


def test_removing_an_owner_locks_the_brands_owners_in_pk_order(brand):
    first = brand.memberships.get()
    second = Membership.objects.create(
        brand=brand, user=UserFactory(password=None), role=Role.OWNER
    )

    with waiting_for(first, lambda: member_remove(user=first.user, membership_id=second.pk)):
        assert not is_locked(second)

    assert list(brand.memberships.values_list("pk", flat=True)) == [first.pk]
