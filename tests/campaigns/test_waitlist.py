"""A sold-out perk's waitlist: units given back are held for the first people waiting, in
order, each for a while; a hold not taken up passes on, its code back in the pool."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Campaign, Claim, WaitlistEntry
from campaigns.services.claims import ClaimRequest, claim_cancel, claim_confirm, claim_create
from campaigns.services.waitlist import reservations_expire, units_release, waitlist_join
from marketplace.errors import ApplicationError
from marketplace.models import Notification
from scoring.models import Person
from tests.campaigns.conftest import person_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold_out(live_campaign):
    """A one-unit shipped product, claimed by a first person; two more wait, in order.
    (A code perk's unit never comes back once its code was shown.)"""
    campaign = live_campaign(perk_type="product", quantity=1, codes=0, questions=["Your size?"])
    first, second, third = (person_of().owner for _ in range(3))
    claim = claim_create(
        user=first, campaign_id=campaign.pk,
        request=ClaimRequest("k", answers={"Your size?": "M"}),
    )  # fmt: skip
    for user in (second, third):
        waitlist_join(user=user, campaign_id=campaign.pk)
    return campaign, claim, first, second, third


def held(user):
    return Claim.objects.filter(user=user, status="reserved").first()


def test_a_unit_given_back_is_held_for_the_first_waiting(sold_out):
    campaign, claim, first, second, third = sold_out

    claim_cancel(user=first, claim_id=claim.pk)

    hold = held(second)
    assert hold.reserved_until > timezone.now() + timedelta(hours=23)
    assert held(third) is None
    assert Campaign.objects.get().taken == 1
    told = Notification.objects.get(user=second)
    assert told.subject == "A unit of Early screening is yours to take"
    assert told.url == f"/perks/{campaign.pk}/"


def test_a_hold_confirmed_with_the_steps_becomes_a_claim(sold_out):
    _, claim, first, second, _ = sold_out
    claim_cancel(user=first, claim_id=claim.pk)

    with pytest.raises(ApplicationError, match="Please answer: Your size"):
        claim_confirm(user=second, claim_id=held(second).pk, request=ClaimRequest("x"))
    confirmed = claim_confirm(
        user=second, claim_id=held(second).pk,
        request=ClaimRequest("x", answers={"Your size?": "L"}),
    )  # fmt: skip

    assert (confirmed.status, confirmed.answers) == ("confirmed", {"Your size?": "L"})
    assert Notification.objects.filter(user=second).latest("pk").subject == (
        "Your perk: Early screening"
    )


def test_a_hold_not_taken_up_passes_to_the_next(sold_out):
    _, claim, first, second, third = sold_out
    claim_cancel(user=first, claim_id=claim.pk)
    hold = held(second)

    assert reservations_expire(now=timezone.now()) == 0
    assert reservations_expire(now=timezone.now() + timedelta(days=2)) == 1

    assert Claim.objects.get(pk=hold.pk).status == "expired"
    assert held(third) is not None
    with pytest.raises(ApplicationError, match="no longer held for you"):
        claim_confirm(user=second, claim_id=hold.pk, request=ClaimRequest("x"))
    assert Campaign.objects.get().taken == 1


def test_someone_out_of_the_target_loses_their_turn(sold_out):
    _, claim, first, second, third = sold_out
    Person.objects.filter(owner=second).update(score=10)

    claim_cancel(user=first, claim_id=claim.pk)

    assert held(second) is None
    assert held(third) is not None
    assert not WaitlistEntry.objects.filter(user=second).exists()


def test_only_people_who_qualify_join_and_only_when_sold_out(live_campaign):
    campaign = live_campaign(quantity=2)
    keen, low = person_of().owner, person_of(score=10).owner

    with pytest.raises(ApplicationError, match="Units are left: claim one"):
        waitlist_join(user=keen, campaign_id=campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(taken=2)
    with pytest.raises(ApplicationError, match="you are not now"):
        waitlist_join(user=low, campaign_id=campaign.pk)
    entry = waitlist_join(user=keen, campaign_id=campaign.pk)

    assert waitlist_join(user=keen, campaign_id=campaign.pk) == entry


def test_a_held_code_unseen_goes_back_to_the_pool_with_its_unit(live_campaign):
    campaign = live_campaign(quantity=1, codes=1)
    waiting, next_ = person_of().owner, person_of().owner
    Campaign.objects.filter(pk=campaign.pk).update(taken=1)  # sold out, say to a shop
    for user in (waiting, next_):
        waitlist_join(user=user, campaign_id=campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(taken=0)
    units_release(campaign_id=campaign.pk)
    hold = held(waiting)

    claim_cancel(user=waiting, claim_id=hold.pk)  # "No thanks, pass it on"

    assert held(next_).code.code == "CODE-000"
    assert Campaign.objects.get().taken == 1


def test_a_code_once_shown_is_the_persons_for_good(live_campaign):
    campaign = live_campaign(quantity=3, codes=3)
    user = person_of().owner
    first = claim_create(user=user, campaign_id=campaign.pk, request=ClaimRequest("a"))

    claim_cancel(user=user, claim_id=first.pk)

    with pytest.raises(ApplicationError, match="You had a code from this perk already — one a"):
        claim_create(user=user, campaign_id=campaign.pk, request=ClaimRequest("b"))
    assert Campaign.objects.get().taken == 1  # the unit went with the code


def test_someone_given_a_code_before_neither_joins_the_waitlist_nor_is_held_a_unit(
    live_campaign,
):
    campaign = live_campaign(quantity=2, codes=3)
    had, next_ = person_of().owner, person_of().owner
    claim_cancel(
        user=had,
        claim_id=claim_create(user=had, campaign_id=campaign.pk, request=ClaimRequest("a")).pk,
    )
    Campaign.objects.filter(pk=campaign.pk).update(taken=2)  # sold out

    with pytest.raises(ApplicationError, match="You had a code from this perk already"):
        waitlist_join(user=had, campaign_id=campaign.pk)
    WaitlistEntry.objects.create(campaign=campaign, person=Person.objects.get(owner=had), user=had)
    waitlist_join(user=next_, campaign_id=campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(taken=1)  # a unit comes back
    units_release(campaign_id=campaign.pk)

    assert held(had) is None
    assert held(next_) is not None
    assert not WaitlistEntry.objects.filter(user=had).exists()


def test_rejoining_after_a_lapsed_hold_queues_again_and_a_claimant_leaves_the_queue(sold_out):
    campaign, claim, first, second, third = sold_out
    claim_cancel(user=first, claim_id=claim.pk)
    reservations_expire(now=timezone.now() + timedelta(days=2))  # second's hold lapses
    entry = waitlist_join(user=second, campaign_id=campaign.pk)

    assert entry.offered_at is None
    claim_cancel(user=third, claim_id=held(third).pk)  # third passes: second is held again
    assert held(second) is not None
