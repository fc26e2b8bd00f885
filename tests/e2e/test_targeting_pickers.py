"""The campaign form's targeting pickers in a real browser, on a desktop and on a phone: a
topic searched, picked with the keyboard, removed and picked again with a click; a country
chosen from the list; a city suggested from the places people give; all saved as the draft's
targeting, and nothing wider than the screen."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Brand, Campaign, Membership, PerkType, Role
from scoring.models import Person, Topic, TopicStatus
from tests.e2e.browsing import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def draft_of_a_brand_owned_by(user):
    brand = Brand.objects.create(name="Chevy", slug="chevy", verified_at=timezone.now())
    Membership.objects.create(brand=brand, user=user, role=Role.OWNER)
    now = timezone.now()
    return Campaign.objects.create(
        brand=brand,
        title="Volt weekend",
        description="Drive a Volt for a weekend, charged.",
        perk_type=PerkType.PRODUCT,
        quantity=5,
        min_score=40,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=14),
    )


def a_taxonomy():
    sports = Topic.objects.create(
        slug="sports", name="Sports", status=TopicStatus.APPROVED, is_area=True
    )
    surfing = Topic.objects.create(slug="surfing", name="Surfing", status=TopicStatus.APPROVED)
    surfing.parents.set([sports])
    return surfing


@pytest.mark.parametrize("size", SIZES)
def test_a_brand_picks_a_topic_a_country_and_a_suggested_city(browser, live_server, size):
    owner = UserFactory()
    campaign = draft_of_a_brand_owned_by(owner)
    surfing = a_taxonomy()
    Person.objects.bulk_create(
        [Person(place="London", country="GB", score=50) for _ in range(3)]
        + [Person(place="Londrina", country="BR", score=50)]
    )
    context = browser.new_context(base_url=live_server.url, viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, owner)
    page.goto(f"/brands/chevy/{campaign.pk}/edit/audience/")

    topics = page.get_by_role("combobox", name="Topics")
    topics.fill("surf")
    suggestion = page.get_by_role("option", name="Surfing — Sports")
    expect(suggestion).to_be_visible()
    topics.press("ArrowDown")
    expect(suggestion).to_have_attribute("aria-selected", "true")
    topics.press("Enter")
    chip = page.get_by_role("checkbox", name="Surfing — Sports")
    expect(chip).to_be_checked()
    expect(suggestion).to_be_hidden()

    page.locator("label", has=chip).click()  # the chip: unticked, it goes
    expect(chip).to_have_count(0)
    expect(topics).to_be_focused()
    page.wait_for_timeout(400)
    expect(page.get_by_role("listbox", name="Topics suggested")).to_be_hidden()  # not opened
    topics.press("ArrowDown")  # …until asked for: the areas to browse
    expect(page.get_by_role("option", name="Sports", exact=True)).to_be_visible()
    topics.press("Escape")
    topics.fill("surf")
    page.get_by_role("option", name="Surfing — Sports").click()
    expect(chip).to_be_checked()

    countries = page.get_by_role("combobox", name="Countries")
    countries.press("ArrowDown")  # browsing the list adds nothing
    expect(page.get_by_role("option", name="Afghanistan (AF)")).to_be_visible()
    countries.press("ArrowDown")
    countries.press("Escape")
    countries.fill("ZZ")
    expect(page.get_by_role("option", name="No country matches")).to_be_visible()
    countries.press("Enter")
    countries.fill("united k")
    expect(page.get_by_role("option", name="United Kingdom (GB)")).to_be_visible()
    countries.press("ArrowDown")
    countries.press("Enter")
    expect(page.get_by_role("checkbox", name="United Kingdom (GB)")).to_be_checked()
    countries.fill("fra")
    page.get_by_role("option", name="France (FR)").click()
    chosen = page.get_by_role("group", name="Chosen countries").get_by_role("checkbox")
    expect(chosen).to_have_count(2)

    cities = page.get_by_role("combobox", name="Cities")
    cities.fill("Lon")
    suggested = page.get_by_role("listbox", name="Cities suggested").get_by_role("option")
    expect(suggested).to_have_text(["London", "Londrina"])  # the most given first
    page.get_by_role("option", name="London").click()
    expect(page.get_by_role("checkbox", name="London")).to_be_checked()
    cities.fill("Atlantis")
    expect(page.get_by_role("option", name="press Enter")).to_be_visible()
    cities.press("Enter")
    atlantis = page.get_by_role("checkbox", name="Atlantis")
    expect(atlantis).to_be_checked()
    expect(atlantis).to_have_accessible_description("nobody on Sway gives this place yet")
    expect(page.get_by_text("nobody on Sway gives this place yet")).to_be_visible()
    expect(page.get_by_role("checkbox", name="London")).to_have_accessible_description("")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("is saved")).to_be_visible()
    campaign.refresh_from_db()
    assert list(campaign.topics.all()) == [surfing]
    assert (campaign.countries, campaign.cities) == (["GB", "FR"], ["London", "Atlantis"])

    page.goto(f"/brands/chevy/{campaign.pk}/edit/audience/")  # as saved, with its note
    expect(page.get_by_role("checkbox", name="Atlantis")).to_have_accessible_description(
        "nobody on Sway gives this place yet"
    )
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_without_javascript_a_country_is_chosen_from_the_list(browser, live_server, size):
    owner = UserFactory()
    campaign = draft_of_a_brand_owned_by(owner)
    context = browser.new_context(base_url=live_server.url, viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, owner)
    nojs = browser.new_context(
        base_url=live_server.url,
        viewport=SIZES[size],
        java_script_enabled=False,
        storage_state=context.storage_state(),
    )
    page = nojs.new_page()
    page.goto(f"/brands/chevy/{campaign.pk}/edit/audience/")

    page.get_by_role("combobox", name="Countries").select_option(label="Zambia (ZM)")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("is saved")).to_be_visible()
    campaign.refresh_from_db()
    assert campaign.countries == ["ZM"]
    nojs.close()
    context.close()
