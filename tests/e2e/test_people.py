"""The people's side in a real browser: search, profile, verifying two handles, hiding a
topic, +K and its daily limit, opting out."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Brand, Campaign, CampaignStatus, Eligibility
from scoring.models import Endorsement, Person, Topic
from scoring.templatetags.scores import whole
from tests.e2e.browsing import sign_in
from tests.factories import UserFactory
from tests.recorded_server import serving
from tests.scoring.worlds import alice, handle, post, scored_world, share

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOST = "social.example"


def mastodon_world():
    """Two Mastodon handles of one woman, each with fans of its own post about Python."""
    records = []
    for n in (1, 2):
        me = f"ada{n}@{HOST}"
        records += [handle(me, me, f"Ada {n}", network="mastodon"),
                    post(f"m{n}", me, "python", network="mastodon")]  # fmt: skip
        for fan in range(6 * n):
            fan_id = f"fan{n}x{fan}@{HOST}"
            records += [handle(fan_id, fan_id, f"Fan {fan}", network="mastodon"),
                        share(fan_id, me, f"m{n}", network="mastodon")]  # fmt: skip
    return records


@pytest.fixture
def world(tmp_path, settings):
    scored_world(tmp_path, more=mastodon_world())
    with serving({}) as server:
        settings.MASTODON_INSTANCE_URLS = {HOST: server.url}
        yield server


def verify(page, server, number):
    page.goto("/verify/")
    page.get_by_label("Your handle").fill(f"@ada{number}@{HOST}")
    page.get_by_role("button", name="Get a verification code").click()
    code = page.locator(".code").inner_text().strip()
    server.routes[f"/api/v1/accounts/lookup?acct=ada{number}%40{HOST}"] = (
        {"id": str(number), "acct": f"ada{number}", "note": f"<p>Pythonista {code}</p>"},
        None,
    )
    server.routes[f"/api/v1/accounts/{number}/statuses?limit=20"] = ([], None)
    page.get_by_role("button", name="Check now").click()
    expect(page.get_by_text(f"mastodon:@ada{number}@{HOST} is verified")).to_be_visible()


def shown_score(page):
    return int(page.get_by_label("Sway score").inner_text())


def test_search_verify_two_handles_hide_endorse_and_opt_out(page, world):
    page.goto("/")
    page.get_by_label("Look anyone up").fill("Alice")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Alice Martin").click()
    expect(page.get_by_role("heading", name="Alice Martin")).to_be_visible()
    alice_url = page.url

    user = UserFactory()
    sign_in(page, user)
    verify(page, world, 1)
    first = shown_score(page)
    verify(page, world, 2)
    expect(page.get_by_label("Connected networks").get_by_role("listitem")).to_have_count(2)
    assert shown_score(page) > first  # the two handles' scores add up

    page.get_by_role("button", name="Hide Python").click()
    expect(page.get_by_text("Python is off your profile.")).to_be_visible()
    expect(page.locator(".topic", has_text="Python")).to_have_count(0)

    page.goto(alice_url)
    expect(page.get_by_text("You have 5 +K left today.")).to_be_visible()
    page.get_by_role("button", name="Give +K on Python").click()
    expect(
        page.get_by_text("You gave Alice Martin +K on Python. You have 4 +K left today.")
    ).to_be_visible()
    mine = Person.objects.get(owner=user)
    python_row = page.locator(".topics > li").filter(has=page.locator('a[href="/t/python/"]'))
    expect(python_row.get_by_text("You gave +K")).to_be_visible()
    expect(python_row.get_by_role("button", name="Give +K on Python")).to_have_count(0)
    giver = python_row.get_by_role("link", name=str(mine))
    expect(giver).to_have_attribute("href", f"/p/{mine.public_id}/")
    python = Topic.objects.get(slug="python")
    Endorsement.objects.bulk_create(
        Endorsement(giver=mine, receiver=Person.objects.create(), topic=python) for _ in range(4)
    )
    page.reload()
    expect(page.get_by_text("You have given your 5 +K for today.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"Give \+K"))).to_have_count(0)
    giver.click()
    expect(page.get_by_role("heading", name=str(mine))).to_be_visible()

    page.goto("/settings/opt-out/")
    page.get_by_label("Delete my profile and stop scoring my handles").check()
    page.get_by_role("button", name="Opt out").click()
    expect(page.get_by_text("You have opted out")).to_be_visible()
    response = page.goto(f"/p/{mine.public_id}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name=re.compile("Page not found"))).to_be_visible()


DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def test_a_members_home_shows_their_score_topics_and_perks_on_desktop_and_phone(page, world):
    user = UserFactory()
    Person.objects.filter(pk=alice().pk).update(owner=user)
    now = timezone.now()
    perk = Campaign.objects.create(
        brand=Brand.objects.create(name="Acme", slug="acme"), title="Early screening",
        description="See it first.", quantity=10, min_score=1, status=CampaignStatus.ACTIVE,
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=7),
    )  # fmt: skip
    Eligibility.objects.create(campaign=perk, person=alice())
    page.set_viewport_size(DESKTOP)

    sign_in(page, user)
    expect(page.get_by_role("heading", name="Welcome to Sway, Alice Martin")).to_be_visible()
    expect(page.get_by_label("Your Sway score")).to_have_text(whole(alice().score))
    expect(page.get_by_text("since the day before")).to_be_visible()
    topics = page.get_by_role("region", name="Your topics")
    expect(topics.get_by_role("link", name="Python")).to_have_attribute("href", "/t/python/")
    expect(topics.get_by_role("link", name="Books")).to_have_count(0)  # sensitive

    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("region", name="Perks for you").get_by_role("link", name=perk.title).click()
    expect(page.get_by_role("heading", name=perk.title)).to_be_visible()

    page.context.clear_cookies()  # a new session
    sign_in(page, user)
    expect(page.get_by_role("heading", name="Welcome back, Alice Martin")).to_be_visible()
