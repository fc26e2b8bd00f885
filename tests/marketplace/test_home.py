"""The home page of someone signed in: a greeting that knows a first visit, their score, topics
and perks, their brands, or the next step to get them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Brand, Campaign, CampaignStatus, Eligibility, Membership, Role, Tier
from scoring.models import HiddenTopic, Person, ScoreSnapshot, Topic
from tests.factories import PASSWORD, UserFactory
from tests.scoring.worlds import alice

pytestmark = pytest.mark.django_db


def heading(response):
    return re.search(r"<h1>(.*?)</h1>", response.content.decode()).group(1)


def log_in(client, user):
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    return client.get("/")


def owned(person, user=None):
    user = user or UserFactory()
    Person.objects.filter(pk=person.pk).update(owner=user)
    return user


def live_campaign(title, **fields):
    brand, _ = Brand.objects.get_or_create(name="Acme", slug="acme")
    now = timezone.now()
    return Campaign.objects.create(
        brand=brand, title=title, description="See it first.", quantity=10, min_score=1,
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=7),
        status=CampaignStatus.ACTIVE, **fields,
    )  # fmt: skip


def test_a_first_sign_in_is_welcomed_to_sway_and_the_next_one_back(client):
    user = UserFactory()

    first = log_in(client, user)
    still_first = client.get("/")
    client.post("/accounts/logout/")
    second = log_in(client, user)

    assert heading(first) == heading(still_first) == "Welcome to Sway"
    assert heading(second) == "Welcome back"
    assert user.email not in heading(first) + heading(second)


def test_the_greeting_names_the_person_never_their_address(client, world):
    named = UserFactory(first_name="Ada", last_name="Lovelace")
    log_in(client, named)
    assert heading(client.get("/")) == "Welcome to Sway, Ada Lovelace"

    client.post("/accounts/logout/")
    assert heading(log_in(client, owned(alice(), named))) == "Welcome back, Alice Martin"


def test_a_member_sees_their_score_its_change_their_topics_and_their_perks(client, world):
    person = alice()
    user = owned(person)
    Person.objects.filter(pk=person.pk).update(score=51.26)
    ScoreSnapshot.objects.filter(person=person, day=person.score_day - timedelta(days=1)).update(
        score=48.96
    )
    HiddenTopic.objects.create(person=person, topic=Topic.objects.get(slug="programming"))
    offered = live_campaign("Early screening")
    Tier.objects.create(campaign=offered, min_score=40, offer="Two seats")
    Eligibility.objects.create(campaign=offered, person=person)
    lost = live_campaign("Lost perk")
    Eligibility.objects.create(campaign=lost, person=person, lost_at=timezone.now())
    live_campaign("Not for them")
    client.force_login(user)

    body = client.get("/").content.decode()

    assert 'aria-label="Your Sway score">51</p>' in body
    assert '<span class="points up">+2.3</span> since the day before' in body
    assert f'<a href="/p/{person.public_id}/">Your profile and why it moved</a>' in body
    assert '<a class="topic" href="/t/python/">Python</a>' in body
    assert "/t/programming/" not in body  # hidden by them
    assert "/t/books/" not in body  # sensitive
    assert f'<a href="/perks/{offered.pk}/">Early screening</a>' in body
    assert "from Acme · Two seats" in body
    assert "Lost perk" not in body
    assert "Not for them" not in body
    assert '<a href="/perks/">All your perks and claims</a>' in body
    assert "Verify a handle to get your score" not in body


def test_a_member_with_no_score_yet_no_topics_and_no_perks_is_told_so(client, db):
    user = UserFactory()
    Person.objects.create(owner=user, display_name="Newcomer")
    client.force_login(user)

    body = client.get("/").content.decode()

    assert "No score yet: it appears after the next daily run." in body
    assert "No topics yet" in body
    assert "None right now: when your score qualifies you for a perk, it shows here." in body
    assert "since the day before" not in body


def test_without_a_verified_handle_the_next_step_is_to_verify_one(client, user):
    client.force_login(user)

    body = client.get("/").content.decode()

    assert '<a class="button" href="/verify/">Verify a handle to get your score</a>' in body
    assert "Your score" not in body
    assert "Your brands" not in body


def test_a_brand_only_account_sees_its_brands(client, user):
    brand = Brand.objects.create(name="Volt Motors", slug="volt")
    Membership.objects.create(brand=brand, user=user, role=Role.MANAGER)
    client.force_login(user)

    body = client.get("/").content.decode()

    assert '<a href="/brands/volt/">Volt Motors</a> <span class="muted">· Manager</span>' in body
    assert "Verify a handle to get your score" not in body
    assert "Your score" not in body


def test_the_home_page_reads_a_few_queries_whatever_the_perks_and_brands(
    client, world, django_assert_max_num_queries
):
    person = alice()
    user = owned(person)
    for n in range(5):
        campaign = live_campaign(f"Perk {n}")
        Tier.objects.create(campaign=campaign, min_score=1, offer=f"Offer {n}")
        Eligibility.objects.create(campaign=campaign, person=person)
        brand = Brand.objects.create(name=f"Brand {n}", slug=f"brand-{n}")
        Membership.objects.create(brand=brand, user=user, role=Role.OWNER)
    client.force_login(user)

    # session, user, own person, day before, topics, hidden topics, offers, their tiers,
    # brands, unread count
    with django_assert_max_num_queries(10):
        body = client.get("/").content.decode()

    assert len(re.findall(r'<a href="/perks/\d+/">Perk \d</a>', body)) == 5
    assert len(re.findall(r'<a href="/brands/brand-\d/">Brand \d</a>', body)) == 5
