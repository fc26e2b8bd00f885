"""Perk campaigns in a real browser: a brand sets up a tiered code perk with a live estimate
of who qualifies, uploads its codes and submits it; staff approve it in the admin; a person
above the threshold is told (inbox and e-mail), claims and gets a code; a person below it is
offered nothing and cannot open the claim form; the claim form names every step left undone
at once; cancelling a claim asks first."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.eligibility import eligibility_refresh
from campaigns.models import (
    Brand,
    Campaign,
    CampaignStatus,
    Claim,
    ClaimStatus,
    Code,
    Membership,
    PerkType,
    Role,
    Tier,
)
from scoring.models import Person
from tests.e2e.browsing import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Volt weekend"
CODES = ["VOLT-AAA1", "VOLT-BBB2", "VOLT-CCC3"]


@pytest.fixture
def new_page(browser, live_server):
    """Opens a page in a browser context of its own: one per person, each with its session."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def minute(moment):
    """A moment as a datetime-local field takes it (the site's time zone is UTC)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def brand_owned_by(user):
    brand = Brand.objects.create(name="Chevy", slug="chevy", verified_at=timezone.now())
    Membership.objects.create(brand=brand, user=user, role=Role.OWNER)
    return brand


def test_brand_sets_up_a_tiered_campaign_staff_approve_and_a_qualifier_claims_a_code(
    new_page, smtp_inbox, tmp_path
):
    owner, fan, below = UserFactory(), UserFactory(), UserFactory()
    staff = UserFactory(is_staff=True, is_superuser=True)
    brand_owned_by(owner)
    Person.objects.create(owner=fan, display_name="Ada", score=72)  # qualifies, tier 70
    Person.objects.create(owner=below, score=20)
    Person.objects.create(display_name="Unclaimed", score=55)  # qualifies, cannot be told
    now = timezone.now()

    # The brand writes the campaign step by step, watching the estimate follow the lowest score.
    brand_page = new_page()
    sign_in(brand_page, owner)
    brand_page.get_by_role("link", name="Brands").click()
    brand_page.get_by_role("link", name="Chevy").click()
    brand_page.get_by_role("link", name="New campaign").click()
    estimate = brand_page.locator("#estimate")
    expect(estimate).to_contain_text("2 people qualify now")  # the default threshold, 40
    brand_page.get_by_label("Title").fill(TITLE)
    brand_page.get_by_label("Description").fill("Drive a Volt for a weekend, charged.")
    brand_page.get_by_label("Perk:", exact=True).select_option(label="Digital code")
    brand_page.get_by_label("Quantity").fill(str(len(CODES)))
    brand_page.get_by_label("Tiers").fill("40: 20 % off\n70: 50 % off")
    brand_page.get_by_role("button", name="Save and continue").click()
    brand_page.get_by_label("Lowest score").fill("60")
    brand_page.get_by_label("Lowest score").press("Tab")  # a change, when the field is left
    expect(estimate).to_contain_text("1 person qualifies now; 1 of them has a Sway account")
    brand_page.get_by_label("Lowest score").fill("40")
    brand_page.get_by_label("Lowest score").press("Tab")
    expect(estimate).to_contain_text("2 people qualify now; 1 of them has a Sway account")
    brand_page.get_by_role("button", name="Save and continue").click()
    brand_page.get_by_label("Starts").fill(minute(now - timedelta(days=1)))
    brand_page.get_by_label("Ends").fill(minute(now + timedelta(days=14)))
    brand_page.get_by_role("button", name="Save and review").click()
    expect(brand_page.get_by_text("Step 3, how to claim, is saved.")).to_be_visible()
    codes = tmp_path / "codes.csv"
    codes.write_text("code\n" + "\n".join(CODES) + "\n")
    brand_page.get_by_label("Code file (CSV)").set_input_files(codes)
    brand_page.get_by_role("button", name="Upload the codes").click()
    expect(brand_page.get_by_text("3 codes added to the pool.")).to_be_visible()
    brand_page.get_by_role("button", name="Submit for review").click()
    expect(brand_page.get_by_text("Submitted: staff will review it.")).to_be_visible()

    # Staff approve it in the admin; it starts at once, since its start has passed.
    staff_page = new_page()
    staff_page.goto("/admin/")
    staff_page.get_by_label("E-mail address").fill(staff.email)
    staff_page.get_by_label("Password").fill(PASSWORD)
    staff_page.get_by_role("button", name="Log in").click()
    staff_page.locator("#campaigns-campaign").get_by_role("link", name="Campaigns").click()
    staff_page.get_by_role("checkbox", name=f"Select this object for an action - {TITLE}").check()
    staff_page.get_by_role("combobox", name="Action").select_option(
        label="Approve the selected campaigns"
    )
    staff_page.get_by_role("button", name="Run").click()
    expect(staff_page.get_by_text("Approved: 1.")).to_be_visible()
    brand_page.reload()
    expect(brand_page.locator(".tag", has_text="Active")).to_be_visible()
    funnel = brand_page.get_by_role("region", name="Funnel")
    expect(funnel.locator(".card", has_text="Eligible").get_by_role("definition")).to_have_text("1")
    expect(funnel.locator(".card", has_text="Told").get_by_role("definition")).to_have_text("1")

    # The qualifying person is told, in the inbox and by e-mail.
    campaign = Campaign.objects.get(title=TITLE)
    offer = smtp_inbox.wait_for(fan.email)
    assert offer["Subject"] == f"[Sway] A perk for you: {TITLE}"
    assert f"/perks/{campaign.pk}/" in offer.get_content()
    assert not [message for message in smtp_inbox.messages if below.email in message["To"]]
    fan_page = new_page()
    sign_in(fan_page, fan)
    fan_page.get_by_role("link", name="Inbox").click()
    expect(fan_page.get_by_text(f"A perk for you: {TITLE}")).to_be_visible()

    # They claim it at their tier and get one of the brand's codes.
    fan_page.get_by_role("link", name="Perks", exact=True).click()
    card = fan_page.get_by_role("listitem").filter(has_text=TITLE)
    expect(card).to_contain_text("Your offer: 50 % off")
    card.get_by_role("link", name=TITLE).click()
    expect(fan_page.get_by_role("heading", name=TITLE)).to_be_visible()
    fan_page.get_by_role("button", name="Claim 50 % off").click()
    expect(fan_page.get_by_text(f"You claimed “{TITLE}”.")).to_be_visible()
    code = fan_page.locator("code.code").inner_text().strip()
    assert code in CODES
    assert Code.objects.get(code=code).claim.user == fan
    # The confirmation went out while the claim committed (Celery runs eagerly in tests).
    confirmation = [m for m in smtp_inbox.messages if m["Subject"] == f"[Sway] Your perk: {TITLE}"]
    assert len(confirmation) == 1
    assert f"Your code: {code}" in confirmation[0].get_content()
    expect(fan_page.get_by_role("button", name=re.compile("^Claim"))).to_have_count(0)


def live_perk(**fields):
    """A live perk of a new brand, for scores from 40: a shipped product unless told."""
    now = timezone.now()
    defaults = {
        "brand": brand_owned_by(UserFactory()),
        "title": TITLE,
        "description": "Drive a Volt for a weekend, charged.",
        "perk_type": PerkType.PRODUCT,
        "quantity": 5,
        "min_score": 40,
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=14),
        "status": CampaignStatus.ACTIVE,
    }
    return Campaign.objects.create(**{**defaults, **fields})


def test_a_person_below_the_threshold_is_offered_nothing_and_cannot_claim(new_page):
    campaign = live_perk(perk_type=PerkType.CODE, quantity=len(CODES))
    Tier.objects.bulk_create(
        [Tier(campaign=campaign, min_score=40, offer="20 % off"),
         Tier(campaign=campaign, min_score=70, offer="50 % off")]
    )  # fmt: skip
    Code.objects.bulk_create(Code(campaign=campaign, code=code) for code in CODES)
    below = UserFactory()
    Person.objects.create(owner=below, score=20)
    Person.objects.create(owner=UserFactory(), score=72)
    assert eligibility_refresh(campaign_id=campaign.pk).offered == 1  # the other one only

    page = new_page()
    sign_in(page, below)
    page.get_by_role("link", name="Perks", exact=True).click()
    expect(page.get_by_text("Your Sway score: 20")).to_be_visible()
    expect(page.get_by_text("No offers for you right now.")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)

    page.goto(f"/perks/{campaign.pk}/")
    expect(page.get_by_role("heading", name="Not for you now")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Claim"))).to_have_count(0)
    page.goto("/inbox/")
    expect(page.get_by_text("Nothing here yet.")).to_be_visible()


def test_the_claim_form_names_every_step_left_undone_at_once(new_page):
    campaign = live_perk(
        questions=["Your size?", "Your colour?"],
        needs_address=True,
        disclosure="Say it was a gift.",
    )
    fan = UserFactory()
    Person.objects.create(owner=fan, score=72)
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, fan)
    page.goto(f"/perks/{campaign.pk}/")

    page.get_by_label("Your colour?").fill("Red")
    page.get_by_role("button", name="Claim this perk").click()

    summary = page.get_by_role("alert").filter(has_text="things to fix")
    expect(summary.get_by_role("heading")).to_have_text("3 things to fix before you claim")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Please answer: Your size?",
            "Please give the address to ship the perk to.",
            "Please accept the disclosure reminder.",
        ]
    )
    size = page.get_by_label("Your size?")
    expect(size).to_have_attribute("aria-invalid", "true")
    expect(size).to_have_accessible_description("Please answer: Your size?")
    expect(page.get_by_label("Shipping address")).to_have_accessible_description(
        "Please give the address to ship the perk to."
    )
    expect(page.get_by_label("I have read the reminder")).to_have_accessible_description(
        "Say it was a gift. Please accept the disclosure reminder."
    )
    expect(page.get_by_label("Your colour?")).to_have_value("Red")
    summary.get_by_role("link", name="Please answer: Your size?").click()
    expect(page).to_have_url(re.compile("#id_answer_0$"))

    size.fill("M")
    page.get_by_label("Shipping address").fill("1 Rue X, Lyon")
    page.get_by_label("I have read the reminder").check()
    page.get_by_role("button", name="Claim this perk").click()
    expect(page.get_by_text(f"You claimed “{TITLE}”.")).to_be_visible()


def test_cancelling_a_claim_asks_first_with_a_secondary_then_a_danger_button(new_page):
    campaign = live_perk()
    fan = UserFactory()
    person = Person.objects.create(owner=fan, score=72)
    Claim.objects.create(
        campaign=campaign, person=person, user=fan, status=ClaimStatus.CONFIRMED,
        idempotency_key="k",
    )  # fmt: skip
    Campaign.objects.filter(pk=campaign.pk).update(taken=1)
    page = new_page()
    sign_in(page, fan)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/perks/{campaign.pk}/")

    ask = page.get_by_role("group").get_by_text("Cancel my claim", exact=True)
    confirm = page.get_by_role("button", name="Yes, cancel my claim")
    expect(confirm).to_be_hidden()
    expect(ask).to_have_css("background-color", "rgb(255, 255, 255)")  # not the primary look
    ask.click()
    expect(page.get_by_text("Its unit goes back on offer.")).to_be_visible()
    expect(confirm).to_have_css("background-color", "rgb(180, 35, 24)")
    assert Claim.objects.get().status == ClaimStatus.CONFIRMED  # opening the step did nothing
    page.set_viewport_size({"width": 390, "height": 844})
    box = confirm.bounding_box()
    assert box is not None
    assert 0 <= box["x"] <= box["x"] + box["width"] <= 390  # whole on a phone too

    confirm.click()
    cancelled = page.get_by_text("Your claim is cancelled: its unit goes back on offer.")
    expect(cancelled).to_be_visible()
    assert Claim.objects.get().status == ClaimStatus.CANCELLED
