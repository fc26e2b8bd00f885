"""A campaign's dashboard in a real browser, on a desktop and on a phone: nothing wider than
the screen, the funnel two figures a row on a phone, the claims as cards there, the results day
by day as a chart with a table beside it, fulfilling one claim after a second step (by mouse and
by keyboard), and many from a file of tracking numbers."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Brand, Campaign, CampaignStatus, Claim, Membership, PerkType, Role
from marketplace.api_keys.services import api_key_create
from marketplace.models import ApiScope
from scoring.models import Person
from scoring.services.profiles import person_opt_out
from tests.e2e.browsing import sign_in
from tests.e2e.test_phone_layout import DESKTOP, PHONE, assert_no_sideways_scroll
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def product_with_claims():
    """A manager of Chevy, whose product perk Ada, Ben and Cy claimed; Cy has left Sway."""
    manager = UserFactory()
    brand = Brand.objects.create(name="Chevy", slug="chevy", verified_at=timezone.now())
    Membership.objects.create(brand=brand, user=manager, role=Role.MANAGER)
    now = timezone.now()
    campaign = Campaign.objects.create(
        brand=brand,
        title="Volt weekend",
        description="Drive a Volt for a weekend, charged.",
        perk_type=PerkType.PRODUCT,
        quantity=5,
        taken=3,
        min_score=40,
        hashtag="#VoltWeekend",
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(days=14),
        status=CampaignStatus.ACTIVE,
    )
    for name in ("Ada Lovelace", "Ben", "Cy"):
        user = UserFactory()
        person = Person.objects.create(owner=user, display_name=name, score=72)
        Claim.objects.create(
            campaign=campaign,
            person=person,
            user=user,
            status="confirmed",
            idempotency_key=name,
            address="Flat 4, 221B Baker Street\nLondon NW1 6XE",
        )
    person_opt_out(user=Claim.objects.get(person__display_name="Cy").user)
    return manager, campaign


def claim_of(campaign, name):
    return Claim.objects.get(campaign=campaign, person__display_name=name)


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_dashboard_fits_the_screen_with_its_chart_and_a_table_of_the_same(page, screen):
    manager, campaign = product_with_claims()
    page.set_viewport_size(screen)
    sign_in(page, manager)
    page.goto(f"/brands/chevy/{campaign.pk}/")

    expect(page.get_by_role("heading", name="Volt weekend")).to_be_visible()
    assert_no_sideways_scroll(page)

    # The funnel: two figures a row on a phone, one row of five on a desktop.
    tops = [box["y"] for box in map(_box, page.locator(".funnel > div").all())]
    if screen is PHONE:
        assert tops[0] == tops[1] < tops[2] == tops[3] < tops[4]
    else:
        assert len(set(tops)) == 1

    # The chart: the one drawn for this screen, named by its summary in words.
    chart = page.get_by_role("img", name="From ")
    expect(chart).to_have_count(1)  # the other size is not displayed
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(
        re.compile(r"^From .*: 2 claimed, 0 fulfilled, 0 posts naming the campaign")
    )
    chart_box = _box(chart)
    assert chart_box["x"] + chart_box["width"] <= screen["width"]
    expect(page.get_by_text("Posts naming the campaign", exact=True)).to_be_visible()  # legend
    figures = page.get_by_role("region", name="Results day by day")
    expect(figures).to_be_hidden()
    page.get_by_text("The same figures as a table").click()
    expect(figures.get_by_role("columnheader", name="Fulfilled")).to_be_visible()
    expect(figures.get_by_role("row")).to_have_count(1 + 3)  # the header and three days

    # The claims: whole on the screen; a phone shows a card each, its values named.
    claims = page.get_by_role("region", name="Claims table")
    assert claims.evaluate("box => box.scrollWidth <= box.clientWidth")
    expect(claims.get_by_role("cell", name="A person who left Sway")).to_be_visible()
    expect(claims.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    if screen is PHONE:
        # The headings stay for screen readers, out of sight: each card names its values.
        expect(claims.get_by_role("columnheader", name="Score")).to_be_attached()
        assert _box(claims.locator("thead"))["width"] <= 1
        ada = claims.get_by_role("row").filter(has_text="Ada Lovelace")
        status = ada.locator("td[data-label=Status]")
        expect(status).to_have_text("Confirmed")
        assert status.evaluate("cell => getComputedStyle(cell, '::before').content") == (
            '"Status: "'
        )
        assert _box(ada)["width"] <= screen["width"]
    expect(page.get_by_label("Tracking numbers (CSV)")).to_be_visible()
    assert_no_sideways_scroll(page)


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_fulfilling_a_claim_asks_first_and_then_tells_the_claimant(page, screen):
    manager, campaign = product_with_claims()
    page.set_viewport_size(screen)
    sign_in(page, manager)
    page.goto(f"/brands/chevy/{campaign.pk}/")
    ada = claim_of(campaign, "Ada Lovelace")

    ask = page.get_by_text(f"Mark fulfilled for claim {ada.pk}, Ada Lovelace")
    confirm = page.get_by_role("button", name="Yes, it is fulfilled")
    expect(confirm.first).to_be_hidden()
    ask.click()
    expect(page.get_by_text("Ada Lovelace is told at once that it is on its way.")).to_be_visible()
    expect(confirm).to_have_count(1)  # the one opened
    box = _box(confirm)
    assert 0 <= box["x"] <= box["x"] + box["width"] <= screen["width"]
    assert claim_of(campaign, "Ada Lovelace").status == "confirmed"  # opening did nothing
    assert_no_sideways_scroll(page)
    page.get_by_role("textbox", name="Tracking number", exact=True).fill("1Z-ADA")
    confirm.click()

    expect(page.get_by_text("Marked fulfilled: Ada Lovelace is told.")).to_be_visible()
    fulfilled = claim_of(campaign, "Ada Lovelace")
    assert (fulfilled.status, fulfilled.tracking) == ("fulfilled", "1Z-ADA")

    # By keyboard: the step opens with Enter, and its field and button follow with Tab.
    ben = claim_of(campaign, "Ben")
    page.get_by_text(f"Mark fulfilled for claim {ben.pk}, Ben").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("textbox", name="Tracking number", exact=True)).to_be_focused()
    page.keyboard.type("1Z-BEN")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Yes, it is fulfilled")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Marked fulfilled: Ben is told.")).to_be_visible()
    assert claim_of(campaign, "Ben").tracking == "1Z-BEN"


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_many_claims_are_fulfilled_from_a_file_and_its_problems_named_by_line(
    page, screen, tmp_path
):
    manager, campaign = product_with_claims()
    ada, ben = claim_of(campaign, "Ada Lovelace"), claim_of(campaign, "Ben")
    page.set_viewport_size(screen)
    sign_in(page, manager)
    page.goto(f"/brands/chevy/{campaign.pk}/")

    wrong = tmp_path / "wrong.csv"
    wrong.write_text(f"claim,tracking\n{ada.pk},1Z-ADA\nnot a claim,1Z\n")
    page.get_by_label("Tracking numbers (CSV)").set_input_files(wrong)
    page.get_by_role("button", name="Fulfil these claims").click()
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("No claim was marked fulfilled: one line to fix")
    expect(problems).to_contain_text("Line 3: 'not a claim' is not a claim number")
    assert_no_sideways_scroll(page)
    assert claim_of(campaign, "Ada Lovelace").status == "confirmed"

    right = tmp_path / "right.csv"
    right.write_text(f"claim,tracking\n{ada.pk},1Z-ADA\n{ben.pk},1Z-BEN\n")
    page.get_by_label("Tracking numbers (CSV)").set_input_files(right)
    page.get_by_role("button", name="Fulfil these claims").click()

    expect(page.get_by_text("2 claims marked fulfilled; each claimant is told.")).to_be_visible()
    expect(page.get_by_role("heading", name="Volt weekend")).to_be_visible()
    assert {claim_of(campaign, n).tracking for n in ("Ada Lovelace", "Ben")} == {"1Z-ADA", "1Z-BEN"}
    assert_no_sideways_scroll(page)


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_removing_a_member_and_revoking_a_key_ask_first(page, screen):
    owner = UserFactory()
    brand = Brand.objects.create(name="Chevy", slug="chevy", verified_at=timezone.now())
    Membership.objects.create(brand=brand, user=owner, role=Role.OWNER)
    viewer = Membership.objects.create(brand=brand, user=UserFactory(), role=Role.VIEWER)
    key = api_key_create(
        name="Shop", scope=ApiScope.BRAND_WRITE, brand_id=brand.pk, created_by=owner
    ).api_key
    page.set_viewport_size(screen)
    sign_in(page, owner)
    page.goto("/brands/chevy/")

    steps = [
        (viewer.user.email, "They lose access to the brand at once", "Yes, remove them"),
        ("Shop", "Software using this key is refused from now on", "Yes, revoke it"),
    ]
    for name, said, yes in steps:
        confirm = page.get_by_role("button", name=yes)
        expect(confirm).to_have_count(0)  # out of sight, and out of reach, until asked
        step = page.locator("details", has_text=name)
        step.locator("summary").click()
        expect(step.get_by_text(said)).to_be_visible()
        box = _box(confirm)
        assert 0 <= box["x"] <= box["x"] + box["width"] <= screen["width"]
        assert_no_sideways_scroll(page)
    assert Membership.objects.filter(pk=viewer.pk).exists()  # opening the steps did nothing
    page.get_by_role("button", name="Yes, remove them").click()

    expect(page.get_by_text("Removed from the brand.")).to_be_visible()
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    page.get_by_text("Revoke Shop").click()
    page.get_by_role("button", name="Yes, revoke it").click()
    expect(page.get_by_text("is revoked: it opens nothing any more.")).to_be_visible()
    key.refresh_from_db()
    assert key.revoked_at is not None


def _box(locator):
    box = locator.bounding_box()
    assert box is not None
    return box


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_pausing_a_live_campaign_asks_first_and_says_what_it_does(page, screen):
    manager, campaign = product_with_claims()
    page.set_viewport_size(screen)
    sign_in(page, manager)
    page.goto(f"/brands/chevy/{campaign.pk}/")

    ask = page.get_by_text("Pause", exact=True)
    confirm = page.get_by_role("button", name="Yes, pause it")
    expect(confirm).to_be_hidden()
    # A secondary button, as the other steps that ask first: not the page's filled one.
    assert ask.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    ask.click()
    expect(page.get_by_text("Nobody can claim it while it is paused")).to_be_visible()
    expect(page.get_by_text("you can resume it any time")).to_be_visible()
    box = _box(confirm)
    assert 0 <= box["x"] <= box["x"] + box["width"] <= screen["width"]
    assert_no_sideways_scroll(page)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE  # opening the step did nothing
    confirm.click()

    expect(page.get_by_text("Paused: nobody can claim it until you resume it.")).to_be_visible()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PAUSED
    page.get_by_role("button", name="Resume").click()  # resuming takes one step
    expect(page.get_by_text("Resumed.")).to_be_visible()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_dashboards_tables_fit_a_phone_and_say_what_there_is(page, screen):
    manager, campaign = product_with_claims()
    page.set_viewport_size(screen)
    sign_in(page, manager)

    # The brand's campaigns: a card each on a phone, its dates on one line.
    page.goto("/brands/chevy/")
    campaigns = page.get_by_role("region", name="Campaigns table")
    assert campaigns.evaluate("box => box.scrollWidth <= box.clientWidth")
    runs = campaigns.locator("td[data-label=Runs]")
    expect(runs).to_have_text(re.compile(r"^\d+ \w+ \d{4} – \d+ \w+ \d{4}$"))
    assert _box(runs)["height"] < 2 * 24 + 1  # two lines at most; it took four
    if screen is PHONE:
        assert runs.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Runs: "'
    assert_no_sideways_scroll(page)

    # The results day by day: every column whole in its box, named in full.
    page.goto(f"/brands/chevy/{campaign.pk}/")
    page.get_by_text("The same figures as a table").click()
    figures = page.get_by_role("region", name="Results day by day")
    expect(figures.get_by_role("columnheader", name="Engagement")).to_be_visible()
    assert figures.evaluate("box => box.scrollWidth <= box.clientWidth")

    # The claims: no Offer column, since the campaign has no tiers nor codes.
    claims = page.get_by_role("region", name="Claims table")
    expect(claims.get_by_role("columnheader", name="Status")).to_be_attached()
    expect(claims.get_by_role("columnheader", name="Offer")).to_have_count(0)
    assert_no_sideways_scroll(page)


def test_the_dashboards_targets_are_44_px_tall_on_a_phone(page):
    """Tall enough for a finger at a phone's width, whatever its pointer."""
    manager, campaign = product_with_claims()
    page.set_viewport_size(PHONE)
    sign_in(page, manager)
    page.goto(f"/brands/chevy/{campaign.pk}/")

    targets = [
        page.get_by_role("link", name="Add stock or end it later"),
        page.get_by_role("region", name="Claims table").get_by_role("link", name="Ada Lovelace"),
        page.get_by_label("Tracking numbers (CSV)"),
    ]
    for target in targets:
        assert _box(target)["height"] >= 44, target
    assert_no_sideways_scroll(page)
