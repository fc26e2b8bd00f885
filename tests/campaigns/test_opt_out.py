"""Opting out cancels a person's open claims (the units go back, to the waitlist first),
drops their offers and places in waitlists, and erases what they gave brands."""

import pytest

from campaigns.eligibility import eligibility_refresh
from campaigns.models import Campaign, Claim, Eligibility, WaitlistEntry
from campaigns.services.claims import ClaimRequest, claim_create
from campaigns.services.waitlist import waitlist_join
from scoring.services.profiles import person_opt_out
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


def test_opting_out_erases_what_the_person_gave_and_keeps_that_they_claimed(live_campaign):
    campaign = live_campaign(
        perk_type="product", codes=0, needs_address=True, questions=["Your size?"]
    )
    leaving = person_of()
    given = ClaimRequest("a", answers={"Your size?": "M"}, address="12 Hidden Lane")
    claim = claim_create(user=leaving.owner, campaign_id=campaign.pk, request=given)
    Claim.objects.filter(pk=claim.pk).update(status="fulfilled", tracking="TRACK-1")

    person_opt_out(user=leaving.owner)

    kept = Claim.objects.get(pk=claim.pk)
    assert (kept.status, kept.answers, kept.address, kept.tracking) == (
        "fulfilled", {}, "", "TRACK-1",
    )  # fmt: skip
    assert Campaign.objects.get(pk=campaign.pk).taken == 1
