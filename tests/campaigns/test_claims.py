"""Claiming a perk: a unit taken atomically, a code each, one claim a person, one claim a
request however often it is sent."""

import re
import threading
from datetime import timedelta
from uuid import uuid4

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.errors import KeyReused
from campaigns.models import Campaign, Claim, Code, Tier
from campaigns.services.claims import ClaimRequest, claim_cancel, claim_create, claim_make
from marketplace.errors import ApplicationError
from marketplace.models import Notification
from tests.campaigns.conftest import person_of

pytestmark = pytest.mark.django_db


def request(key=None, **steps):
    return ClaimRequest(idempotency_key=key or uuid4().hex, **steps)


@pytest.mark.django_db(transaction=True)
def test_fifty_people_claiming_ten_units_at_once_make_exactly_ten_claims(live_campaign):
    campaign = live_campaign(quantity=10, codes=12)
    people = [person_of() for _ in range(50)]
    outcomes: list[str] = []
    start = threading.Barrier(len(people))

    def claim(user):
        start.wait()
        try:
            claim_create(user=user, campaign_id=campaign.pk, request=request())
            outcomes.append("claimed")
        except ApplicationError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(person.owner,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(set(outcomes)) == ["Sorry, this perk is sold out.", "claimed"]
    assert outcomes.count("claimed") == 10
    assert Claim.objects.count() == 10
    assert Campaign.objects.get().taken == 10
    codes = Code.objects.exclude(claim=None)
    assert codes.count() == len(set(codes.values_list("code", flat=True))) == 10


@pytest.mark.django_db(transaction=True)
def test_one_key_sent_many_times_at_once_makes_one_claim_and_says_so_once(live_campaign):
    campaign = live_campaign(quantity=10, codes=12)
    people = [person_of() for _ in range(5)]
    answers: list[tuple[int, bool, int]] = []  # person, made it, claim
    start = threading.Barrier(len(people) * 6)

    def claim(person):
        start.wait()
        try:
            made = claim_make(
                user=person.owner, campaign_id=campaign.pk, request=request(f"key-{person.pk}")
            )
            answers.append((person.pk, made.created, made.claim.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(p,)) for p in people for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 30  # nobody was refused
    for person in people:
        mine = [(created, claim) for who, created, claim in answers if who == person.pk]
        assert sorted(created for created, _ in mine) == [False] * 5 + [True]
        assert {claim for _, claim in mine} == {Claim.objects.get(person=person).pk}
    assert Campaign.objects.get().taken == 5


@pytest.mark.django_db(transaction=True)
def test_twins_of_the_request_that_took_the_last_unit_get_its_claim(live_campaign):
    campaign = live_campaign(quantity=1, codes=1)
    user = person_of().owner
    made: list[bool] = []
    start = threading.Barrier(8)

    def claim():
        start.wait()
        try:
            made_now = claim_make(user=user, campaign_id=campaign.pk, request=request("k"))
            made.append(made_now.created)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(made) == [False] * 7 + [True]
    assert Claim.objects.count() == 1


def test_a_key_sent_again_for_another_perk_is_a_conflict(live_campaign):
    first, second = live_campaign(), live_campaign()
    user = person_of().owner
    claim_create(user=user, campaign_id=first.pk, request=request("k"))

    with pytest.raises(KeyReused):
        claim_create(user=user, campaign_id=second.pk, request=request("k"))


def test_the_same_request_twice_makes_one_claim_and_takes_one_unit(live_campaign):
    campaign = live_campaign()
    user = person_of().owner
    again = request("click-1")

    first = claim_create(user=user, campaign_id=campaign.pk, request=again)
    second = claim_create(user=user, campaign_id=campaign.pk, request=again)

    assert first == second
    assert Campaign.objects.get().taken == 1
    with pytest.raises(ApplicationError, match="You have claimed this perk already"):
        claim_create(user=user, campaign_id=campaign.pk, request=request("click-2"))
    assert Claim.objects.count() == 1


def test_the_claimant_gets_their_code_and_tier_by_e_mail_and_in_app(live_campaign, mailoutbox):
    campaign = live_campaign()
    Tier.objects.create(campaign=campaign, min_score=40, offer="20 % off")
    Tier.objects.create(campaign=campaign, min_score=60, offer="50 % off")
    user = person_of(score=64.2).owner

    claim = claim_create(user=user, campaign_id=campaign.pk, request=request())

    assert claim.tier.offer == "50 % off"
    notification = Notification.objects.get(user=user)
    assert notification.body == (
        "You claimed “Early screening” from Acme.\nYour offer: 50 % off.\nYour code: CODE-000"
    )


@pytest.mark.parametrize(
    ("score", "fields", "message"),
    [
        (39.4, {}, "This perk is for people in its target, and you are not now."),
        (80, {"max_score": 70}, "This perk is for people in its target, and you are not now."),
        (50, {"status": "paused"}, "This perk is not on offer."),
        (50, {"ends_at": timezone.now() - timedelta(minutes=1)}, "This perk is not on offer."),
        (50, {"questions": ["Your size?"]}, "Please answer: Your size?"),
        (50, {"needs_address": True}, "Please give the address to ship the perk to."),
        (50, {"disclosure": "Say it was a gift."}, "Please accept the disclosure reminder."),
        (
            50,
            {"questions": ["Your size?", "Your colour?"], "needs_address": True, "disclosure": "!"},
            "Please answer: Your size? Please answer: Your colour? Please give the address to "
            "ship the perk to. Please accept the disclosure reminder.",
        ),
    ],
)
def test_a_claim_outside_the_rules_is_refused_and_writes_nothing(
    live_campaign, score, fields, message
):
    campaign = live_campaign(**fields)
    user = person_of(score=score).owner

    with pytest.raises(ApplicationError, match=re.escape(message)):
        claim_create(user=user, campaign_id=campaign.pk, request=request())

    assert not Claim.objects.exists()
    assert Campaign.objects.get().taken == 0
    assert not Code.objects.exclude(claim=None).exists()


def test_a_claim_with_every_step_answered_keeps_the_answers(live_campaign):
    campaign = live_campaign(
        questions=["Your size?"], needs_address=True, disclosure="Say it was a gift."
    )
    user = person_of().owner
    steps = {"answers": {"Your size?": "M"}, "address": " 1 Rue X, Lyon ",
             "accepted_disclosure": True}  # fmt: skip

    claim = claim_create(user=user, campaign_id=campaign.pk, request=request(**steps))

    assert (claim.answers, claim.address) == ({"Your size?": "M"}, "1 Rue X, Lyon")


def test_when_the_codes_run_out_the_unit_is_given_back(live_campaign):
    campaign = live_campaign(quantity=3, codes=1)
    first, second = person_of().owner, person_of().owner
    claim_create(user=first, campaign_id=campaign.pk, request=request())

    with pytest.raises(ApplicationError, match="sold out"):
        claim_create(user=second, campaign_id=campaign.pk, request=request())

    assert Campaign.objects.get().taken == 1


def test_cancelling_returns_the_unit_of_a_product_but_not_of_a_code_once_shown(live_campaign):
    product = live_campaign(perk_type="product", quantity=1, codes=0)
    code_perk = live_campaign(quantity=1, codes=2)
    first, second = person_of().owner, person_of().owner
    shipped = claim_create(user=first, campaign_id=product.pk, request=request())
    coded = claim_create(user=first, campaign_id=code_perk.pk, request=request())

    claim_cancel(user=first, claim_id=shipped.pk)
    claim_cancel(user=first, claim_id=coded.pk)

    assert claim_create(user=second, campaign_id=product.pk, request=request()).status == (
        "confirmed"
    )
    with pytest.raises(ApplicationError, match="sold out"):
        claim_create(user=second, campaign_id=code_perk.pk, request=request())
    with pytest.raises(ApplicationError, match="no open claim of yours"):
        claim_cancel(user=first, claim_id=shipped.pk)
