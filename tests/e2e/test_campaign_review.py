"""Staff review a submitted campaign in Chromium, on a desktop and on a phone: from the admin's
list to the review page, which shows whom it reaches, its code pool, the perk as members will
see it and whether its brand is verified, and approving it there."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import (
    Brand,
    Campaign,
    CampaignStatus,
    Code,
    Membership,
    PerkType,
    Role,
    Tier,
)
from scoring.models import Person
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Volt weekend"


def submitted_campaign():
    """An unverified brand's code perk for scores from 40, with two tiers and three codes,
    waiting for staff; two people qualify, one of them with an account."""
    owner = UserFactory(email="owner@chevy.example")
    brand = Brand.objects.create(name="Chevy", slug="chevy", website="https://chevy.example")
    Membership.objects.create(brand=brand, user=owner, role=Role.OWNER)
    now = timezone.now()
    campaign = Campaign.objects.create(
        brand=brand,
        title=TITLE,
        description="Drive a Volt for a weekend, charged.",
        perk_type=PerkType.CODE,
        quantity=3,
        min_score=40,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=14),
        status=CampaignStatus.SUBMITTED,
    )
    Tier.objects.create(campaign=campaign, min_score=40, offer="20 % off")
    Tier.objects.create(campaign=campaign, min_score=70, offer="50 % off")
    Code.objects.bulk_create(Code(campaign=campaign, code=f"VOLT-{n}") for n in range(3))
    Person.objects.create(owner=UserFactory(), display_name="Ada", score=72)
    Person.objects.create(display_name="Unclaimed", score=55)
    return campaign


def assert_no_sideways_scroll(page):
    scroll_width, width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide on a {width}px screen"


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_staff_review_a_submitted_campaign_and_approve_it_there(page, width, height):
    submitted_campaign()
    staff = UserFactory(is_staff=True, is_superuser=True)
    page.set_viewport_size({"width": width, "height": height})

    page.goto("/admin/")
    page.get_by_label("E-mail address").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator("#campaigns-campaign").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name=f"Review {TITLE}").click()

    expect(page.get_by_role("heading", name=f"Review “{TITLE}”", level=1)).to_be_visible()
    expect(page.locator("#estimate")).to_contain_text(
        "2 people qualify now; 1 of them has a Sway account"
    )
    expect(page.locator("#code-pool")).to_have_text("Code pool: 3 codes, 3 free, 0 handed out.")
    expect(page.locator("#verification")).to_have_text("not verified")
    preview = page.get_by_role("region", name="The perk as members will see it")
    expect(preview.get_by_text("Drive a Volt for a weekend, charged.")).to_be_visible()
    expect(preview.get_by_role("cell", name="50 % off")).to_be_visible()
    assert_no_sideways_scroll(page)

    page.get_by_role("button", name="Reject").click()  # no reason given: the browser asks
    expect(page.get_by_role("heading", name=f"Review “{TITLE}”", level=1)).to_be_visible()
    assert Campaign.objects.get().status == CampaignStatus.SUBMITTED
    page.get_by_role("button", name="Approve").click()

    expect(page.get_by_role("status")).to_contain_text(f"“{TITLE}” is approved: Active.")
    expect(page.locator("#status")).to_have_text("Active")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    assert Campaign.objects.get().status == CampaignStatus.ACTIVE
    assert_no_sideways_scroll(page)
