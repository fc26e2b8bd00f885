"""Opting out cancels a person's open claims (the units go back, to the waitlist first) and
drops their offers and places in waitlists."""

import pytest

from campaigns.eligibility import eligibility_refresh
from campaigns.models import Campaign, Claim, Eligibility, WaitlistEntry
from campaigns.services.claims import ClaimRequest, claim_create
from campaigns.services.waitlist import waitlist_join
from scoring.profile_services import person_opt_out
from tests.campaigns.conftest import person_of

pytestmark = pytest.mark.django_db


def test_opting_out_withdraws_claims_offers_and_waitlist_places(live_campaign):
    one = live_campaign(perk_type="product", quantity=1, codes=0)
    other = live_campaign(quantity=1)
    leaving, waiting, holder = person_of(), person_of(), person_of()
    claim = claim_create(user=leaving.owner, campaign_id=one.pk, request=ClaimRequest("a"))
    waitlist_join(user=waiting.owner, campaign_id=one.pk)
    claim_create(user=holder.owner, campaign_id=other.pk, request=ClaimRequest("b"))
    waitlist_join(user=leaving.owner, campaign_id=other.pk)
    eligibility_refresh(campaign_id=one.pk)

    person_opt_out(user=leaving.owner)

    assert Claim.objects.get(pk=claim.pk).status == "cancelled"
    assert Claim.objects.get(user=waiting.owner).status == "reserved"  # the unit passed on
    assert Campaign.objects.get(pk=one.pk).taken == 1
    assert not WaitlistEntry.objects.filter(person=leaving).exists()
    assert not Eligibility.objects.filter(person=leaving).exists()
