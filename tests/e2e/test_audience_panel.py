"""The audience panel in Chromium, on a desktop and on a phone: as a brand types its target on
the builder's "Who qualifies" step, the panel beside it (a bar on a phone) follows with the
count, the spread of scores, the top topics and countries, a few people (never one who left),
why there are so few, and a highest score below the lowest as a mistake."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Brand, Campaign, Membership, PerkType, Role
from scoring.models import Person, PersonTopic, Topic, TopicStatus
from tests.e2e.browsing import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def draft_of_a_brand():
    """A brand's draft for people on solar roofs in France or Ireland, and five people:
    four on solar roofs and a sensitive topic (one of them in Canada), and one who left
    Sway above them all."""
    owner = UserFactory()
    brand = Brand.objects.create(name="Chevy", slug="chevy", verified_at=timezone.now())
    Membership.objects.create(brand=brand, user=owner, role=Role.OWNER)
    now = timezone.now()
    draft = Campaign.objects.create(
        brand=brand,
        title="Volt weekend",
        description="Drive a Volt for a weekend, charged.",
        perk_type=PerkType.PRODUCT,
        quantity=3,
        min_score=40,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=14),
        countries=["FR", "IE"],
    )
    green = Topic.objects.create(slug="solar-roofs", name="Solar Roofs", status="approved")
    secret = Topic.objects.create(
        slug="health-x", name="Health X", status=TopicStatus.APPROVED, is_sensitive=True
    )
    for name, score, country in [("Ada", 81, "FR"), ("Bea", 64, "FR"), ("Cy", 52, "IE"),
                                 ("Dot", 45, "CA")]:  # fmt: skip
        person = Person.objects.create(display_name=name, score=score, country=country)
        PersonTopic.objects.create(person=person, topic=green, score=score)
        PersonTopic.objects.create(person=person, topic=secret, score=score)
    Person.objects.create(display_name="Gone", score=99, country="FR", opted_out=True)
    draft.topics.add(green)
    return owner, draft


@pytest.mark.parametrize("size", SIZES)
def test_the_audience_panel_follows_the_target_as_the_brand_types(page, size):
    owner, draft = draft_of_a_brand()
    page.set_viewport_size(SIZES[size])
    sign_in(page, owner)

    page.goto(f"/brands/chevy/{draft.pk}/edit/audience/")
    panel = page.locator("#estimate")
    expect(panel).to_contain_text("3 people qualify now")
    summary = page.locator("summary.audience-summary")
    if size == "phone":  # one line along the bottom, opened by a tap
        expect(summary).to_have_text("3 qualify · details")
        expect(panel).to_be_hidden()
        bar = page.locator(".audience-panel").bounding_box()
        assert bar["height"] <= 50, bar
        summary.click()
    else:
        expect(summary).to_be_hidden()
    expect(panel).to_be_visible()
    expect(panel).to_contain_text(
        "Why so few: the score band takes in 4 people; the topic filter leaves 4 of 4; the "
        "country filter leaves 3 of 4."
    )
    expect(panel.get_by_role("link", name="Solar Roofs")).to_be_visible()
    expect(panel).to_contain_text("France")
    expect(panel.get_by_role("link", name="Ada")).to_be_visible()
    if size == "phone":  # a finger's tap targets
        for link in panel.get_by_role("link").all():
            assert link.bounding_box()["height"] >= 44, link.text_content()
    for never in ("Health X", "Gone"):
        expect(panel).not_to_contain_text(never)

    page.get_by_label("Lowest score").fill("60")
    expect(panel).to_contain_text("2 people qualify now")
    expect(panel.get_by_role("link", name="Cy")).to_have_count(0)
    expect(panel).to_contain_text("the country filter leaves 2 of 2.")
    page.get_by_label("Highest score").fill("50")
    expect(panel).to_contain_text("Highest score: It is below the lowest score.")
    expect(panel).not_to_contain_text("qualify now")

    page.get_by_label("Highest score").fill("")
    expect(panel).to_contain_text("2 people qualify now")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


@pytest.mark.parametrize("size", SIZES)
def test_on_a_phone_the_bar_never_covers_the_field_being_typed(page, size):
    owner, draft = draft_of_a_brand()
    page.set_viewport_size(SIZES[size])
    sign_in(page, owner)
    page.goto(f"/brands/chevy/{draft.pk}/edit/audience/")
    expect(page.locator("#estimate")).to_contain_text("3 people qualify now")
    summary = page.locator("summary.audience-summary")
    if size == "phone":
        summary.click()  # opened, then a field is chosen: it closes again
        expect(page.locator("#estimate")).to_be_visible()

    cities = page.get_by_role("combobox", name="Cities")
    cities.click()
    cities.fill("Paris")
    field = cities.bounding_box()
    bar = page.locator(".audience-panel").bounding_box()
    if size == "phone":
        expect(page.locator("#estimate")).to_be_hidden()
        assert field["y"] + field["height"] <= bar["y"], (field, bar)
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


@pytest.mark.parametrize("size", SIZES)
def test_before_it_counts_the_panel_says_where_who_qualifies_is_set(page, size):
    owner, draft = draft_of_a_brand()
    page.set_viewport_size(SIZES[size])
    sign_in(page, owner)
    page.route("**/estimate/", lambda route: None)  # the count never comes
    page.goto(f"/brands/chevy/{draft.pk}/edit/offer/")
    expect(page.locator("#estimate")).to_contain_text("Who qualifies is set on step 2.")
    expect(page.locator("#estimate")).not_to_contain_text("Fill in the lowest score")
