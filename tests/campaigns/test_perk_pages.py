"""People's perk pages: the offers they qualify for and their claims, a perk and its claim
form, cancelling, and the open perks on a topic page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.eligibility import eligibility_refresh
from campaigns.models import (
    Brand,
    Campaign,
    CampaignStatus,
    Claim,
    ClaimStatus,
    Eligibility,
    Membership,
    PerkType,
    Role,
    Slot,
    Tier,
)
from campaigns.services.claims import ClaimRequest, claim_cancel, claim_create
from campaigns.services.waitlist import waitlist_join
from marketplace.errors import ApplicationError
from marketplace.models import Notification, NotificationKind
from scoring.models import Person, PersonTopic, Topic
from tests.campaigns.conftest import person_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    """Signs in a new user with a person scoring `score` (None: no profile); returns them."""

    def sign_in(score=50.0):
        user = UserFactory(password=None)
        if score is not None:
            person_of(user, score=score, display_name="Ada")
        client.force_login(user)
        return user

    return sign_in


def offered(campaign):
    """The campaign's eligibility refreshed, as after a scoring run."""
    eligibility_refresh(campaign_id=campaign.pk)
    return campaign


def claim(user, campaign, key="key-1", **steps):
    return claim_create(
        user=user, campaign_id=campaign.pk, request=ClaimRequest(idempotency_key=key, **steps)
    )


def key_in(body):
    return re.search(r'name="idempotency_key" value="([^"]+)"', body).group(1)


def section(body, heading_id):
    return body.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


# The list of offers and claims.


def test_the_perks_page_lists_offers_with_the_viewers_tier_and_claims_with_codes(
    client, signed_in, live_campaign
):
    user = signed_in(score=64.2)
    screening = offered(live_campaign(title="Early screening", quantity=10))
    Tier.objects.create(campaign=screening, min_score=40, offer="20 % off")
    Tier.objects.create(campaign=screening, min_score=60, offer="50 % off")
    Campaign.objects.filter(pk=screening.pk).update(taken=3)
    volt = offered(live_campaign(title="A Volt for three days"))
    claim(user, volt)

    body = client.get("/perks/").content.decode()

    offers = section(body, "offers")
    assert f'<a href="/perks/{screening.pk}/">Early screening</a>' in offers
    assert "from Acme" in offers
    assert "Your offer: <strong>50 % off</strong>" in offers
    assert "7 left" in offers
    assert f"until {screening.ends_at:%-d %B %Y}" in offers
    assert "A Volt for three days" not in offers  # claimed: listed with the claims
    claims = section(body, "claims")
    assert f'<a href="/perks/{volt.pk}/">A Volt for three days</a>' in claims
    assert '<span class="tag tag-good">Confirmed</span>' in claims
    assert 'Your code: <code class="code">CODE-000</code>' in claims
    assert f'action="/perks/claims/{Claim.objects.get().pk}/cancel/"' in claims
    assert '<a href="/perks/">Perks</a>' in body


def test_the_perks_page_leaves_out_lost_ended_and_paused_offers(client, signed_in, live_campaign):
    signed_in()
    lost = offered(live_campaign(title="Lost"))
    Eligibility.objects.filter(campaign=lost).update(lost_at=timezone.now())
    paused = offered(live_campaign(title="Paused"))
    Campaign.objects.filter(pk=paused.pk).update(status=CampaignStatus.PAUSED)
    over = offered(live_campaign(title="Over"))
    Campaign.objects.filter(pk=over.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    offered(live_campaign(title="Still on"))

    offers = section(client.get("/perks/").content.decode(), "offers")

    assert offers.count('<li class="card">') == 1
    assert "Still on" in offers


@pytest.mark.parametrize("each", [1, 5])
def test_the_perks_page_runs_the_same_queries_whatever_the_number_of_offers_and_claims(
    client, signed_in, live_campaign, django_assert_num_queries, each
):
    user = signed_in()
    for n in range(each):
        campaign = offered(live_campaign(title=f"Offer {n}"))
        Tier.objects.create(campaign=campaign, min_score=40, offer="20 % off")
        claim(user, offered(live_campaign(title=f"Claimed {n}")), key=f"key-{n}")

    # session, user, profile, offers, their tiers, claims, unread count
    with django_assert_num_queries(7):
        body = client.get("/perks/").content.decode()

    assert section(body, "offers").count('<li class="card">') == each
    assert section(body, "claims").count('<li class="notification">') == each


def test_without_a_profile_the_perks_page_says_to_verify_a_handle(client, signed_in):
    signed_in(score=None)

    body = client.get("/perks/").content.decode()

    assert "You have no Sway profile yet" in body
    assert '<a href="/verify/">Verify a handle</a>' in body
    assert "No claims yet." in body


def test_without_offers_the_perks_page_says_how_offers_come(client, signed_in, live_campaign):
    signed_in(score=10)
    offered(live_campaign(min_score=40))

    body = client.get("/perks/").content.decode()

    assert "No offers for you right now." in body
    assert "above their threshold on the topics they choose" in body


def test_anyone_reads_a_live_perk_but_claiming_and_the_list_need_a_signed_in_user(
    client, live_campaign
):
    campaign = live_campaign()
    url = f"/perks/{campaign.pk}/"

    body = client.get(url).content.decode()
    listed = client.get("/perks/")
    claimed = client.post(url, {"idempotency_key": "a" * 32})

    assert '<h2 id="claim">Who it is for</h2>' in body
    assert "Acme offers it to people with a Sway score from 40." in body
    assert f'<a href="/accounts/login/?next=/perks/{campaign.pk}/">Log in</a>' in body
    assert (listed.status_code, listed.url) == (302, "/accounts/login/?next=/perks/")
    assert (claimed.status_code, claimed.url) == (302, f"/accounts/login/?next={url}")
    assert not Claim.objects.exists()


# One perk and its claim form.


def test_a_perk_shows_the_offer_the_tier_table_and_a_form_with_the_claim_steps(
    client, signed_in, live_campaign
):
    signed_in(score=64)
    campaign = offered(
        live_campaign(
            perk_type=PerkType.PRODUCT,
            max_score=90,
            questions=["Your size?", "Your colour?"],
            needs_address=True,
            disclosure="Say it was a gift.",
        )
    )
    Tier.objects.create(campaign=campaign, min_score=40, offer="20 % off")
    Tier.objects.create(campaign=campaign, min_score=60, offer="50 % off")

    body = client.get(f"/perks/{campaign.pk}/").content.decode()

    assert '<h1 id="perk-title">Early screening</h1>' in body
    assert "<li>Shipped product</li>" in body
    assert "<li>10 of 10 left</li>" in body
    assert "Your offer: <strong>50 % off</strong>" in body
    tiers = section(body, "tiers")
    assert "<td>40–59</td>" in tiers
    assert "<td>60–90</td>" in tiers
    assert '<td>50 % off <span class="tag">yours</span></td>' in tiers
    assert '<p id="disclosure-text">Say it was a gift.</p>' in body
    form = section(body, "claim")
    assert '<label for="id_answer_0">Your size?</label>' in form
    assert '<label for="id_answer_1">Your colour?</label>' in form
    assert '<label for="id_address">Shipping address</label>' in form
    assert '<textarea name="address"' in form
    assert 'type="checkbox" name="accepted_disclosure"' in form
    assert 'aria-describedby="disclosure-text"' in form
    assert len(key_in(form)) == 32
    assert '<button type="submit">Claim 50 % off</button>' in form


def test_each_showing_of_the_form_has_a_fresh_idempotency_key(client, signed_in, live_campaign):
    signed_in()
    campaign = offered(live_campaign())

    first = key_in(client.get(f"/perks/{campaign.pk}/").content.decode())
    second = key_in(client.get(f"/perks/{campaign.pk}/").content.decode())

    assert first != second


def test_claiming_through_the_form_shows_the_code_and_a_double_submit_makes_one_claim(
    client, signed_in, live_campaign
):
    user = signed_in()
    campaign = offered(live_campaign(questions=["Your size?"]))
    key = key_in(client.get(f"/perks/{campaign.pk}/").content.decode())
    form = {"idempotency_key": key, "answer_0": "M"}

    first = client.post(f"/perks/{campaign.pk}/", form)
    second = client.post(f"/perks/{campaign.pk}/", form)

    assert (first.status_code, first.url) == (302, f"/perks/{campaign.pk}/")
    assert (second.status_code, second.url) == (302, f"/perks/{campaign.pk}/")
    made = Claim.objects.get()
    assert (made.user, made.answers, made.idempotency_key) == (user, {"Your size?": "M"}, key)
    assert Campaign.objects.get().taken == 1
    body = client.get(f"/perks/{campaign.pk}/").content.decode()
    assert "You claimed “Early screening”. Your code: CODE-000" in body
    mine = section(body, "claim")
    assert 'Your code: <code class="code">CODE-000</code>' in mine
    assert "idempotency_key" not in body
    assert f'action="/perks/claims/{made.pk}/cancel/"' in mine


def test_every_step_left_undone_is_reported_at_once_each_at_its_field(
    client, signed_in, live_campaign
):
    signed_in()
    campaign = offered(
        live_campaign(
            questions=["Your size?", "Your colour?", "Your name?"],
            needs_address=True,
            disclosure="Say it was a gift.",
        )
    )

    response = client.post(
        f"/perks/{campaign.pk}/",
        {"idempotency_key": "k" * 32, "answer_0": " ", "answer_1": "Red", "address": ""},
    )

    assert response.status_code == 400
    form = section(response.content.decode(), "claim")
    assert "novalidate" in form  # the browser would stop at the first
    summary = form.split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'role="alert" aria-labelledby="claim-problems"' in summary
    assert '<h3 id="claim-problems">4 things to fix before you claim</h3>' in summary
    assert re.findall(r'<li><a href="#(\w+)">([^<]+)</a></li>', summary) == [
        ("id_answer_0", "Please answer: Your size?"),
        ("id_answer_2", "Please answer: Your name?"),
        ("id_address", "Please give the address to ship the perk to."),
        ("id_accepted_disclosure", "Please accept the disclosure reminder."),
    ]
    undone = [
        ("answer_0", "Please answer: Your size?"),
        ("answer_2", "Please answer: Your name?"),
        ("address", "Please give the address to ship the perk to."),
    ]
    for field, message in undone:
        assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in form
        assert f'aria-invalid="true" aria-describedby="id_{field}_error" id="id_{field}"' in form
    assert 'aria-describedby="disclosure-text id_accepted_disclosure_error"' in form
    assert 'value="Red" required maxlength="1000" id="id_answer_1"' in form  # kept, and fine
    assert key_in(form) == "k" * 32  # the same request, resubmitted, still makes one claim
    assert not Claim.objects.exists()
    assert Campaign.objects.get().taken == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("answer_0", "M\x00", "Null characters are not allowed."),
        ("answer_0", "M" * 1001, "Ensure this value has at most 1000 characters (it has 1001)."),
        ("slot", "99999999999999999999999", "That date is full or gone: please pick another."),
        ("slot", "-1", "That date is full or gone: please pick another."),
        ("slot", "1\x01", "That date is full or gone: please pick another."),
        ("slot", "", "Please pick a date."),
    ],
)
def test_hostile_claim_answers_are_named_at_their_field_and_claim_nothing(
    client, signed_in, live_campaign, field, value, message
):
    signed_in()
    campaign = offered(
        live_campaign(perk_type=PerkType.EXPERIENCE, codes=0, questions=["Your size?"])
    )
    slot = Slot.objects.create(campaign=campaign, starts_at=campaign.ends_at, capacity=10)
    answers = {"idempotency_key": "k" * 32, "answer_0": "M", "slot": slot.pk, field: value}

    response = client.post(f"/perks/{campaign.pk}/", answers)

    assert response.status_code == 400
    form = section(response.content.decode(), "claim")
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in form
    assert form.count('<ul class="errorlist"') == 1
    assert not Claim.objects.exists()


def test_a_disclosure_must_be_accepted(client, signed_in, live_campaign):
    signed_in()
    campaign = offered(live_campaign(disclosure="Say it was a gift."))
    url = f"/perks/{campaign.pk}/"

    refused = client.post(url, {"idempotency_key": "a" * 32})
    accepted = client.post(url, {"idempotency_key": "a" * 32, "accepted_disclosure": "on"})

    assert "Please accept the disclosure reminder." in refused.content.decode()
    assert accepted.status_code == 302
    assert Claim.objects.count() == 1


def test_a_person_below_the_threshold_reads_the_perk_but_cannot_claim(
    client, signed_in, live_campaign
):
    signed_in(score=39.4)
    campaign = offered(live_campaign(min_score=40))

    page = client.get(f"/perks/{campaign.pk}/").content.decode()
    forged = client.post(f"/perks/{campaign.pk}/", {"idempotency_key": "a" * 32})

    assert '<h2 id="claim">Not for you now</h2>' in page
    assert "idempotency_key" not in page
    assert "you are not now" in forged.content.decode()
    assert not Claim.objects.exists()


def test_a_person_who_fell_out_of_the_target_is_told_the_offer_ended_for_them(
    client, signed_in, live_campaign
):
    user = signed_in(score=50)
    campaign = offered(live_campaign(min_score=40))
    Person.objects.filter(owner=user).update(score=30)
    offered(campaign)  # the next scoring run

    body = client.get(f"/perks/{campaign.pk}/").content.decode()
    refused = client.post(f"/perks/{campaign.pk}/", {"idempotency_key": "a" * 32})

    assert '<h2 id="claim">This offer has ended for you</h2>' in body
    assert "Sway scores from 40" in body
    assert "<form" not in section(body, "claim")
    assert refused.status_code == 200
    assert "This perk is for people in its target, and you are not now." in (
        refused.content.decode()
    )
    assert not Claim.objects.filter(user=user).exists()


def test_a_code_given_before_shows_one_a_person_instead_of_a_claim_button(
    client, signed_in, live_campaign
):
    user = signed_in(score=64)
    campaign = offered(live_campaign())
    Tier.objects.create(campaign=campaign, min_score=60, offer="50 % off")
    claim_cancel(user=user, claim_id=claim(user, campaign).pk)  # its code stays theirs

    body = client.get(f"/perks/{campaign.pk}/").content.decode()
    forged = client.post(f"/perks/{campaign.pk}/", {"idempotency_key": "a" * 32})

    told = section(body, "claim")
    assert '<h2 id="claim">You had this perk</h2>' in body
    assert "<p>You had a code from this perk already — one a person.</p>" in told
    assert '<a href="/perks/">Your code is with your claims</a>' in told
    assert "<form" not in told
    assert "Claim 50 % off" not in body
    assert "Your offer:" not in body.split('id="tiers"')[0]
    assert '<h2 id="claim">You had this perk</h2>' in forged.content.decode()
    assert Claim.objects.filter(user=user).count() == 1
    listed = client.get("/perks/").content.decode()
    assert "Early screening" not in section(listed, "offers")
    assert 'Your code: <code class="code">CODE-000</code>' in section(listed, "claims")


def _in_target(user, make):
    return make()


def _below_its_lowest_score(user, make):
    return make(min_score=60)


def _above_its_highest_score(user, make):
    return make(min_score=10, max_score=40)


def _off_its_topics(user, make):
    campaign = make()
    campaign.topics.add(Topic.objects.create(slug="jazz", name="Jazz", status="approved"))
    return campaign


def _outside_its_places(user, make):
    return make(countries=["FR"])


def _sold_out(user, make):
    campaign = make(quantity=1)
    claim(person_of().owner, campaign)
    return campaign


def _holding_a_claim(user, make):
    campaign = make()
    claim(user, campaign)
    return campaign


def _given_a_code_before(user, make):
    campaign = make()
    claim_cancel(user=user, claim_id=claim(user, campaign).pk)
    return campaign


def _given_a_code_before_and_sold_out(user, make):
    campaign = make(quantity=1)
    claim_cancel(user=user, claim_id=claim(user, campaign).pk)  # the unit stays with the code
    return campaign


def _a_product_claim_cancelled(user, make):
    campaign = make(perk_type=PerkType.PRODUCT, codes=0)
    claim_cancel(user=user, claim_id=claim(user, campaign).pk)
    return campaign


def _without_a_profile(user, make):
    Person.objects.filter(owner=user).delete()
    return make()


def _opted_out(user, make):
    Person.objects.filter(owner=user).update(opted_out=True)
    return make()


def _a_member_of_the_brand(user, make):
    campaign = make()
    Membership.objects.create(brand=campaign.brand, user=user, role=Role.MANAGER)
    return campaign  # the claim service does not refuse a brand's own people


@pytest.mark.parametrize(
    ("situation", "claims", "waits"),
    [
        (_in_target, True, False),
        (_below_its_lowest_score, False, False),
        (_above_its_highest_score, False, False),
        (_off_its_topics, False, False),
        (_outside_its_places, False, False),
        (_sold_out, False, True),
        (_holding_a_claim, False, False),
        (_given_a_code_before, False, False),
        (_given_a_code_before_and_sold_out, False, False),
        (_a_product_claim_cancelled, True, False),
        (_without_a_profile, False, False),
        (_opted_out, False, False),
        (_a_member_of_the_brand, True, False),
    ],
)
def test_the_perk_page_offers_exactly_what_the_services_then_accept(
    client, signed_in, live_campaign, situation, claims, waits
):
    user = signed_in()
    campaign = offered(situation(user, live_campaign))

    body = client.get(f"/perks/{campaign.pk}/").content.decode()
    try:
        waitlist_join(user=user, campaign_id=campaign.pk)
    except ApplicationError:
        joined = False
    else:
        joined = True
    try:
        claim(user, campaign, key="now")
    except ApplicationError:
        claimed = False
    else:
        claimed = True

    offers = ('name="idempotency_key"' in body, "Join the waitlist" in body)
    assert offers == (claimed, joined) == (claims, waits)


def test_a_sold_out_perk_says_so_and_has_no_form(client, signed_in, live_campaign):
    signed_in()
    campaign = offered(live_campaign(quantity=1))
    claim(person_of().owner, campaign)

    body = client.get(f"/perks/{campaign.pk}/").content.decode()

    assert "<li>Sold out</li>" in body
    assert '<h2 id="claim">Sold out</h2>' in body
    assert "All 1 are claimed." in body
    assert "idempotency_key" not in body


def test_on_a_sold_out_perk_one_joins_the_waitlist_and_confirms_a_unit_held_for_them(
    client, signed_in, live_campaign
):
    user = signed_in()
    campaign = offered(
        live_campaign(perk_type="product", quantity=1, codes=0, questions=["Your size?"])
    )
    first = person_of().owner
    taken = claim(first, campaign, answers={"Your size?": "M"})

    joined = client.post(f"/perks/{campaign.pk}/waitlist/", follow=True).content.decode()
    assert "You are number 1 on the waitlist." in joined
    assert "Join the waitlist" not in joined
    claim_cancel(user=first, claim_id=taken.pk)
    held = client.get(f"/perks/{campaign.pk}/").content.decode()
    assert '<h2 id="claim">A unit is held for you</h2>' in held
    assert '<summary class="button secondary">No thanks, pass it on</summary>' in held
    assert "<p>The unit goes to the next person on the waitlist.</p>" in held
    assert '<button type="submit" class="danger">Yes, pass it on</button>' in held
    confirmed = client.post(
        f"/perks/{campaign.pk}/",
        {"idempotency_key": key_in(held), "answer_0": "L"},
        follow=True,
    ).content.decode()

    assert "You claimed “Early screening”." in confirmed
    assert Claim.objects.get(user=user).status == "confirmed"


def test_a_claim_that_sells_out_meanwhile_shows_the_perk_sold_out(client, signed_in, live_campaign):
    signed_in()
    campaign = offered(live_campaign(quantity=1))
    key = key_in(client.get(f"/perks/{campaign.pk}/").content.decode())
    claim(person_of().owner, campaign)

    response = client.post(f"/perks/{campaign.pk}/", {"idempotency_key": key})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Sorry, this perk is sold out." in body
    assert '<h2 id="claim">Sold out</h2>' in body
    assert Claim.objects.count() == 1


@pytest.mark.parametrize(
    "status",
    [
        CampaignStatus.DRAFT,
        CampaignStatus.SUBMITTED,
        CampaignStatus.REJECTED,
        CampaignStatus.SCHEDULED,
        CampaignStatus.PAUSED,
        CampaignStatus.ENDED,
    ],
)
def test_a_campaign_not_live_has_no_perk_page_even_for_people_it_targets(
    client, signed_in, live_campaign, status
):
    signed_in(score=90)
    campaign = offered(live_campaign())
    other = Brand.objects.create(name="Other", slug="other")
    theirs = live_campaign(status=status)
    Campaign.objects.filter(pk=theirs.pk).update(brand=other)
    Eligibility.objects.create(campaign=theirs, person=Eligibility.objects.get().person)
    Campaign.objects.filter(pk=campaign.pk).update(status=status)

    for pk in (campaign.pk, theirs.pk):
        assert client.get(f"/perks/{pk}/").status_code == 404
        assert client.post(f"/perks/{pk}/", {"idempotency_key": "a" * 32}).status_code == 404
    assert not Claim.objects.exists()


def test_a_live_campaign_nobody_told_the_viewer_about_is_claimable_when_they_qualify(
    client, signed_in, live_campaign
):
    signed_in()
    campaign = live_campaign()  # started before the refresh ran

    assert '<h2 id="claim">Claim it</h2>' in client.get(f"/perks/{campaign.pk}/").content.decode()


# Cancelling.


def test_cancelling_a_claim_gives_the_unit_back(client, signed_in, live_campaign):
    user = signed_in()
    campaign = offered(live_campaign(perk_type="product", codes=0))
    made = claim(user, campaign)

    response = client.post(f"/perks/claims/{made.pk}/cancel/")

    assert (response.status_code, response.url) == (302, "/perks/")
    assert Claim.objects.get().status == ClaimStatus.CANCELLED
    assert Campaign.objects.get().taken == 0
    body = client.get("/perks/").content.decode()
    assert "Your claim is cancelled: its unit goes back on offer." in body
    assert '<span class="tag">Cancelled</span>' in section(body, "claims")
    assert "/cancel/" not in body
    assert f'<a href="/perks/{campaign.pk}/">Early screening</a>' in section(body, "offers")


def test_a_cancelled_claim_reads_as_cancelled_without_its_date_and_repeats_are_one(
    client, signed_in, live_campaign
):
    user = signed_in()
    campaign = offered(live_campaign(title="Volt", perk_type=PerkType.EXPERIENCE, codes=0))
    date = Slot.objects.create(campaign=campaign, starts_at=campaign.ends_at, capacity=5)
    for key in ("a", "b"):
        claim_cancel(user=user, claim_id=claim(user, campaign, key=key, slot_id=date.pk).pk)
    last = Claim.objects.order_by("-created_at", "-pk").first()

    claims = section(client.get("/perks/").content.decode(), "claims")

    assert claims.count('<li class="notification">') == 1
    assert '<span class="tag">Cancelled</span>' in claims
    assert f"<p>Cancelled twice, the last time on {last.updated_at:%-d %B %Y}.</p>" in claims
    assert "Your date" not in claims


def test_a_claim_shows_the_answers_and_address_its_holder_gave(client, signed_in, live_campaign):
    user = signed_in()
    campaign = offered(
        live_campaign(perk_type=PerkType.PRODUCT, codes=0, questions=["Which city?"],
                      needs_address=True)
    )  # fmt: skip
    claim(user, campaign, answers={"Which city?": "Lyon"}, address="1 rue <Haute>\nLyon")

    listed = section(client.get("/perks/").content.decode(), "claims")
    page = section(client.get(f"/perks/{campaign.pk}/").content.decode(), "claim")

    for shown in (listed, page):
        assert "<p>Which city? <strong>Lyon</strong></p>" in shown
        assert "<p>Shipping to: <strong>1 rue &lt;Haute&gt;<br>Lyon</strong></p>" in shown


def test_cancelling_is_a_second_step_that_says_what_follows_behind_a_secondary_button(
    client, signed_in, live_campaign
):
    user = signed_in()
    coded = offered(live_campaign(title="Screening"))
    product = offered(live_campaign(title="Volt", perk_type=PerkType.PRODUCT, codes=0))
    on_code, on_product = claim(user, coded, key="a"), claim(user, product, key="b")

    page = section(client.get(f"/perks/{coded.pk}/").content.decode(), "claim")
    listed = section(client.get("/perks/").content.decode(), "claims")

    opener = '<details class="confirm">\n  <summary class="button secondary">Cancel my claim'
    assert f"{opener}</summary>" in page
    assert f'action="/perks/claims/{on_code.pk}/cancel/"' in page
    assert (
        "<p>Your code stays yours, but you cannot claim this perk again: one a person.</p>" in page
    )
    assert '<button type="submit" class="danger">Yes, cancel my claim</button>' in page
    assert f'{opener}<span class="visually-hidden"> on Volt</span></summary>' in listed
    assert f'action="/perks/claims/{on_product.pk}/cancel/"' in listed
    assert "<p>Its unit goes back on offer.</p>" in listed
    assert Claim.objects.filter(status=ClaimStatus.CONFIRMED).count() == 2


def test_cancelling_another_users_claim_changes_nothing(client, signed_in, live_campaign):
    signed_in()
    campaign = offered(live_campaign())
    theirs = claim(person_of().owner, campaign)

    response = client.post(f"/perks/claims/{theirs.pk}/cancel/", follow=True)

    assert "There is no open claim of yours to cancel." in response.content.decode()
    assert Claim.objects.get().status == ClaimStatus.CONFIRMED
    assert Campaign.objects.get().taken == 1


def test_cancelling_needs_a_post(client, signed_in, live_campaign):
    user = signed_in()
    made = claim(user, offered(live_campaign()))

    assert client.get(f"/perks/claims/{made.pk}/cancel/").status_code == 405
    assert Claim.objects.get().status == ClaimStatus.CONFIRMED


# Notifications lead to the pages.


def test_offers_and_claims_notify_with_a_link_to_the_perk_pages(signed_in, live_campaign):
    user = signed_in()
    campaign = offered(live_campaign())
    claim(user, campaign)

    links = dict(Notification.objects.filter(user=user).values_list("kind", "url"))

    assert links == {
        NotificationKind.PERK_OFFER: f"/perks/{campaign.pk}/",
        NotificationKind.PERK_CLAIM: "/perks/",
    }


# The perks on a topic page.


@pytest.fixture
def jazz():
    return Topic.objects.create(slug="jazz", name="Jazz", status="approved")


def test_the_topic_fragment_lists_open_perks_on_the_topic_in_two_queries(
    client, live_campaign, jazz, django_assert_num_queries
):
    blues = Topic.objects.create(slug="blues", name="Blues", status="approved")
    banded = live_campaign(title="Jazz night", max_score=70)
    anywhere = live_campaign(title="Record", min_score=20)
    sold = live_campaign(title="Sold out", quantity=1)
    Campaign.objects.filter(pk=sold.pk).update(taken=1)
    draft = live_campaign(title="Draft", status=CampaignStatus.DRAFT)
    elsewhere = live_campaign(title="Blues night")
    for campaign in (banded, anywhere, sold, draft):
        campaign.topics.add(jazz)
    elsewhere.topics.add(blues)
    live_campaign(title="Any topic")

    with django_assert_num_queries(2):  # topic, campaigns
        response = client.get("/perks/topic/jazz/", headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.startswith('<div id="topic-perks">')
    assert "<html" not in body
    assert body.count('<li class="result">') == 2
    assert f'<a href="/perks/{banded.pk}/">Jazz night</a>' in body
    assert "for scores from 40 to 70" in body
    assert f'<a href="/perks/{anywhere.pk}/">Record</a>' in body
    assert "for scores from 20</span>" in body
    assert "from Acme" in body
    for left_out in ("Sold out", "Draft", "Blues night", "Any topic"):
        assert left_out not in body
    assert response["Vary"] == "HX-Request, Cookie"


def test_the_topic_fragment_without_perks_says_so_and_without_htmx_is_a_page(client, jazz):
    body = client.get("/perks/topic/jazz/").content.decode()

    assert '<h1 id="topic-perks-heading">Perks on Jazz</h1>' in body
    assert '<p class="empty">No open perks on this topic right now.</p>' in body


def test_the_topic_fragment_of_a_topic_not_public_is_not_found(client, jazz):
    Topic.objects.filter(pk=jazz.pk).update(is_sensitive=True)

    assert client.get("/perks/topic/jazz/").status_code == 404
    assert client.get("/perks/topic/no-such-topic/").status_code == 404


def test_the_topic_page_loads_its_perks_with_htmx_and_links_them_without(client, jazz):
    body = client.get("/t/jazz/").content.decode()

    perks = section(body, "perks")
    assert ">Perks on Jazz</h2>" in perks
    assert '<div hx-get="/perks/topic/jazz/" hx-trigger="load" hx-swap="outerHTML">' in perks
    assert '<a href="/perks/topic/jazz/">See the open perks on Jazz</a>' in perks


def test_a_perk_linked_from_a_topic_page_opens_for_someone_it_targets(
    client, signed_in, live_campaign, jazz
):
    user = signed_in()
    campaign = live_campaign()
    campaign.topics.add(jazz)
    PersonTopic.objects.create(person=Person.objects.get(owner=user), topic=jazz, score=50)

    assert client.get(f"/perks/{campaign.pk}/").status_code == 200


@pytest.mark.parametrize("tiers", [1, 5])
def test_a_perk_page_runs_the_same_queries_whatever_the_number_of_tiers(
    client, signed_in, live_campaign, jazz, django_assert_num_queries, tiers
):
    user = signed_in()
    campaign = offered(live_campaign(questions=["Your size?"]))
    campaign.topics.add(jazz)
    PersonTopic.objects.create(person=Person.objects.get(owner=user), topic=jazz, score=50)
    Tier.objects.bulk_create(
        Tier(campaign=campaign, min_score=10 * n, offer=f"{n} off") for n in range(tiers)
    )

    # session, user, campaign, tiers, dates, public topics, profile, claim, target topics,
    # in the target?, offered before?, waitlist place, viewed, unread
    with django_assert_num_queries(14):
        body = client.get(f"/perks/{campaign.pk}/").content.decode()

    assert section(body, "tiers").count("<tr") == tiers + 1
    assert '<h2 id="claim">Claim it</h2>' in body
