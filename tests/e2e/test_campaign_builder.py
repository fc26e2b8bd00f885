"""The campaign builder in Chromium, on a desktop and on a phone: a brand walks a new campaign
through its steps to submission, the audience in view all along (beside the form on a
desktop, a bar along the bottom of a phone), mistakes named as it types, tiers in plain
words, times with their zone, the perk previewed at both sizes, and a campaign that reaches
nobody submitted only once the brand confirms; a draft is deleted after a second step; an
approved campaign offers only what may still change."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Brand, Campaign, CampaignStatus, Membership, PerkType, Role
from scoring.models import Person
from tests.e2e.browsing import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
TITLE = "Volt weekend"


def brand_owned_by(user):
    brand = Brand.objects.create(name="Chevy", slug="chevy", verified_at=timezone.now())
    Membership.objects.create(brand=brand, user=user, role=Role.OWNER)
    return brand


def minute(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def no_sideways_scroll(page):
    scroll_width, width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert scroll_width <= width


def audience_in_view(page, size):
    """Beside the form on a desktop; along the bottom of the screen on a phone."""
    panel = page.get_by_role("complementary", name="Audience").bounding_box()
    form = page.locator(".builder-main").bounding_box()
    assert panel
    assert form
    if size == "desktop":
        assert panel["x"] >= form["x"] + form["width"]
    else:
        assert abs(panel["y"] + panel["height"] - SIZES["phone"]["height"]) <= 1


@pytest.mark.parametrize("size", SIZES)
def test_a_brand_walks_a_new_campaign_through_the_steps_to_submission(page, size):
    owner = UserFactory()
    brand_owned_by(owner)
    Person.objects.create(owner=UserFactory(), display_name="Ada", score=72)
    Person.objects.create(display_name="Bea", score=55)
    now = timezone.now()
    page.set_viewport_size(SIZES[size])
    sign_in(page, owner)
    page.goto("/brands/chevy/")
    page.get_by_role("link", name="New campaign").click()

    # 1. The offer, with the audience already counted from the lowest score a draft starts at.
    steps = page.get_by_role("navigation", name="Campaign steps")
    expect(steps.locator('[aria-current="step"]')).to_have_text("1. The offer")
    estimate = page.locator("#estimate")
    expect(estimate).to_contain_text("2 people qualify now")
    audience_in_view(page, size)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill("Drive a Volt for a weekend, charged.")
    page.get_by_label("Perk:", exact=True).select_option(label="Shipped product")
    page.get_by_label("Quantity").fill("2")
    page.get_by_label("Tiers").fill("40: a weekend\n90: a week")
    checks = page.locator("#checks")
    expect(checks).to_contain_text("The first tier starts at the lowest score, 40.")
    expect(checks).to_contain_text("Scores 40 to 89: a weekend")
    expect(checks).to_contain_text("Scores 90 to 100: a week")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Save and continue").click()

    # 2. Who qualifies: the estimate follows, a band upside down is a mistake at once.
    expect(page.get_by_text("Step 1, the offer, is saved.")).to_be_visible()
    expect(steps.locator('[aria-current="step"]')).to_have_text("2. Who qualifies")
    expect(steps.get_by_role("listitem").filter(has_text="1. The offer")).to_contain_text("saved")
    expect(page.get_by_label("Tiers")).to_have_count(0)  # the offer's, carried hidden
    page.get_by_label("Lowest score").fill("60")
    expect(estimate).to_contain_text("1 person qualifies now")
    page.get_by_label("Highest score").fill("50")
    page.get_by_label("Highest score").press("Tab")
    expect(checks).to_contain_text("Highest score: It is below the lowest score.")
    page.get_by_label("Highest score").fill("")
    page.get_by_label("Lowest score").fill("80")
    page.get_by_label("Lowest score").press("Tab")
    expect(estimate).to_contain_text("0 people qualify now")
    expect(checks).not_to_contain_text("Highest score")
    audience_in_view(page, size)
    no_sideways_scroll(page)
    page.get_by_role("button", name="Save and continue").click()

    # Back and forth between steps keeps what each one saved.
    expect(steps.locator('[aria-current="step"]')).to_have_text("3. How to claim")
    steps.get_by_role("button", name="2. Who qualifies").click()
    expect(page.get_by_label("Lowest score")).to_have_value("80")
    page.get_by_role("button", name="Save and continue").click()

    # 3. How to claim: times in the site's zone.
    expect(steps.locator('[aria-current="step"]')).to_have_text("3. How to claim")
    page.get_by_label("Starts (UTC)").fill(minute(now + timedelta(days=2)))
    page.get_by_label("Ends (UTC)").fill(minute(now + timedelta(days=20)))
    page.get_by_label("Ask for a shipping address").check()
    no_sideways_scroll(page)
    page.get_by_role("button", name="Save and review").click()

    # 4. Review: nobody scores 80 or more, so submitting asks first; the perk at both sizes.
    expect(steps.locator('[aria-current="step"]')).to_have_text("4. Review and submit")
    starts = timezone.localtime(now + timedelta(days=2))
    expect(page.get_by_text(f"From {starts:%A %-d %B %Y, %H:%M} UTC")).to_be_visible()
    expect(page.locator("#reach")).to_have_text("Nobody qualifies now.")
    shown = (
        ("The perk on a phone",)
        if size == "phone"
        else ("The perk on a phone", "The perk on a computer")
    )
    for frame_title in shown:  # a phone shows only the phone-sized preview
        frame = page.frame_locator(f'iframe[title="{frame_title}"]')
        expect(frame.get_by_role("heading", name=TITLE)).to_be_visible()
        expect(frame.get_by_text("Your offer: a weekend")).to_be_visible()
        expect(frame.get_by_label("Shipping address")).to_be_visible()
    no_sideways_scroll(page)
    expect(page.get_by_role("button", name="Submit anyway")).to_be_hidden()
    page.get_by_text("Submit for review", exact=True).click()
    page.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_text("Submitted: staff will review it.")).to_be_visible()
    campaign = Campaign.objects.get()
    assert (campaign.status, campaign.min_score, campaign.quantity) == ("submitted", 80, 2)
    assert [(t.min_score, t.offer) for t in campaign.tiers.all()] == [
        (80, "a weekend"), (90, "a week"),
    ]  # fmt: skip


@pytest.mark.parametrize("size", SIZES)
def test_a_draft_is_deleted_after_a_second_step(page, size):
    owner = UserFactory()
    brand = brand_owned_by(owner)
    now = timezone.now()
    draft = Campaign.objects.create(
        brand=brand, title=TITLE, description="Drive it.", perk_type=PerkType.PRODUCT,
        quantity=2, min_score=40, starts_at=now, ends_at=now + timedelta(days=9),
        steps_saved=["offer", "audience", "claiming"],
    )  # fmt: skip
    page.set_viewport_size(SIZES[size])
    sign_in(page, owner)

    page.goto(f"/brands/chevy/{draft.pk}/edit/review/")
    expect(page.get_by_role("button", name="Delete it for good")).to_be_hidden()
    page.get_by_text("Delete this draft").click()
    page.get_by_role("button", name="Delete it for good").click()

    expect(page.get_by_text(f"The draft “{TITLE}” is deleted.")).to_be_visible()
    assert not Campaign.objects.exists()
    no_sideways_scroll(page)


@pytest.mark.parametrize("size", SIZES)
def test_an_active_campaign_offers_only_what_may_still_change(page, size):
    owner = UserFactory()
    brand = brand_owned_by(owner)
    now = timezone.now()
    campaign = Campaign.objects.create(
        brand=brand, title=TITLE, description="Drive it.", perk_type=PerkType.PRODUCT,
        quantity=2, min_score=40, starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=9), status=CampaignStatus.ACTIVE,
    )  # fmt: skip
    page.set_viewport_size(SIZES[size])
    sign_in(page, owner)

    page.goto(f"/brands/chevy/{campaign.pk}/")
    page.get_by_role("link", name="Add stock or end it later").click()
    expect(page.get_by_text("What can still change: pausing it, adding stock")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_count(0)
    page.get_by_label("Units to add").fill("3")
    page.get_by_role("button", name="Add them").click()
    expect(page.get_by_text("3 more on offer: 5 in all.")).to_be_visible()
    later = timezone.localtime(campaign.ends_at + timedelta(days=5))
    page.get_by_label("New end (UTC)").fill(minute(later))
    page.get_by_role("button", name="Move the end").click()
    expect(page.get_by_text(f"It ends on {later:%-d %B %Y at %H:%M} UTC now.")).to_be_visible()
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Paused: nobody can claim it until you resume it.")).to_be_visible()
    no_sideways_scroll(page)
    campaign.refresh_from_db()
    assert (campaign.quantity, campaign.status) == (5, "paused")


@pytest.mark.parametrize("size", SIZES)
def test_a_failed_save_is_announced_and_each_fixed_field_loses_its_error(page, size):
    owner = UserFactory()
    brand_owned_by(owner)
    page.set_viewport_size(SIZES[size])
    sign_in(page, owner)
    page.goto("/brands/chevy/new/")
    rule = "The first tier starts at the lowest score, 40 (step 2 sets it)"
    expect(page.get_by_text(rule)).to_be_visible()

    page.get_by_label("Quantity").fill("")
    page.get_by_role("button", name="Save and continue").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("3 things to fix")
    expect(summary).to_be_focused()
    title = page.get_by_label("Title")
    expect(title).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill("Drive it.")
    page.get_by_label("Quantity").fill("0")
    expect(summary).to_contain_text("Quantity: Offer at least one.")
    expect(summary).to_contain_text("One thing to fix")
    for label in ("Title:", "Description:"):
        field = page.locator(".field").filter(has=page.get_by_label(label, exact=True))
        expect(field.locator(".errorlist")).to_have_count(0)
        expect(page.get_by_label(label, exact=True)).not_to_have_attribute("aria-invalid", "true")
    quantity = page.locator(".field").filter(has=page.get_by_label("Quantity"))
    expect(quantity.locator(".errorlist")).to_have_text("Offer at least one.")
    expect(page.get_by_label("Quantity")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Quantity").fill("3")
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(quantity.locator(".errorlist")).to_have_count(0)
    no_sideways_scroll(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Step 1, the offer, is saved.")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_a_code_perk_asks_only_its_own_and_takes_its_codes_on_review(page, size, tmp_path):
    owner = UserFactory()
    brand = brand_owned_by(owner)
    Person.objects.create(display_name="Bea", score=55)
    now = timezone.now()
    draft = Campaign.objects.create(
        brand=brand, title=TITLE, description="Drive it.", perk_type=PerkType.CODE,
        quantity=3, min_score=40, starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=9), steps_saved=["offer", "audience"],
    )  # fmt: skip
    page.set_viewport_size(SIZES[size])
    sign_in(page, owner)

    page.goto(f"/brands/chevy/{draft.pk}/edit/claiming/")
    expect(page.get_by_label("Questions")).to_be_visible()
    expect(page.get_by_label("Dates")).to_have_count(0)
    expect(page.get_by_label("Ask for a shipping address")).to_have_count(0)
    page.get_by_label("Hashtag").fill("VoltWalk")
    page.get_by_role("button", name="Save and review").click()

    expect(page.get_by_text("Hashtag#VoltWalk")).to_be_visible()
    expect(page.get_by_text("0 of 3 are in the pool, so 3 more are needed")).to_be_visible()
    expect(page.get_by_role("button", name="Submit for review")).to_have_count(0)
    codes = tmp_path / "codes.csv"
    codes.write_text("code\nV-1\nV-2\nV-3\n")
    page.get_by_label("Code file (CSV)").set_input_files(codes)
    page.get_by_role("button", name="Upload the codes").click()

    expect(page.get_by_text("3 codes added to the pool.")).to_be_visible()
    steps = page.get_by_role("navigation", name="Campaign steps")
    expect(steps.locator('[aria-current="step"]')).to_have_text("4. Review and submit")
    expect(page.locator("#codes-needed")).to_have_count(0)
    no_sideways_scroll(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted: staff will review it.")).to_be_visible()
    draft.refresh_from_db()
    assert (draft.status, draft.hashtag, draft.codes.count()) == ("submitted", "#VoltWalk", 3)
