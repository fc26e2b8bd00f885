"""Sway on a phone and on a desktop, signed in with a very long e-mail address: no page
scrolls sideways, tables scroll inside their own box, and the navigation folds into a Menu
button on a phone while a desktop shows its links in one row."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import (
    Brand,
    Campaign,
    CampaignStatus,
    Claim,
    ClaimStatus,
    Invitation,
    Membership,
    PerkType,
    Role,
)
from marketplace.models import Notification, NotificationKind
from scoring.models import Person
from tests.e2e.browsing import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = (
    "someone.with.a.remarkably.long.name.for.testing@a-very-long-domain-name-indeed.example.com"
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def long_named_world():
    """A member with a long address who owns a brand whose product perk they claimed."""
    user = UserFactory(email=LONG_EMAIL)
    person = Person.objects.create(owner=user, display_name="Ada Lovelace", score=72)
    brand = Brand.objects.create(name="Chevy", slug="chevy", verified_at=timezone.now())
    Membership.objects.create(brand=brand, user=user, role=Role.OWNER)
    Membership.objects.create(
        brand=brand, user=UserFactory(email=f"another.{LONG_EMAIL}"), role=Role.VIEWER
    )
    Invitation.objects.create(
        brand=brand, email=f"invited.{LONG_EMAIL}", role=Role.MANAGER, invited_by=user
    )
    now = timezone.now()
    campaign = Campaign.objects.create(
        brand=brand,
        title="Volt weekend",
        description="Drive a Volt for a weekend, charged.",
        perk_type=PerkType.PRODUCT,
        quantity=5,
        min_score=40,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=14),
        status=CampaignStatus.ACTIVE,
    )
    Claim.objects.create(
        campaign=campaign,
        person=person,
        user=user,
        status=ClaimStatus.CONFIRMED,
        idempotency_key="phone",
        address="Flat 4, 221B Baker Street\nLondon NW1 6XE",
    )
    Notification.objects.create(
        user=user,
        kind=NotificationKind.PERK_OFFER,
        subject="A perk for you: Volt weekend",
        body=f"Sway sent this to {LONG_EMAIL}.",
        url=f"/perks/{campaign.pk}/",
    )
    return user, campaign


def assert_no_sideways_scroll(page):
    scroll_width, width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide on a {width}px screen"


def assert_folded_into_a_menu(nav, links):
    """The navigation is one row, the brand and a Menu button, with the links out of sight."""
    brand_box, menu_box, nav_box = (
        nav.get_by_role("link", name="Sway").bounding_box(),
        nav.get_by_role("button", name="Menu").bounding_box(),
        nav.bounding_box(),
    )
    assert brand_box
    assert menu_box
    assert nav_box
    assert abs(brand_box["y"] - menu_box["y"]) < menu_box["height"]
    assert nav_box["height"] < 2 * menu_box["height"]
    for link in links:
        expect(link).to_be_hidden()


def test_a_phone_never_scrolls_sideways_and_folds_the_navigation_into_a_menu(page):
    user, campaign = long_named_world()
    page.set_viewport_size(PHONE)
    nav = page.get_by_role("navigation", name="Main")
    menu = nav.get_by_role("button", name="Menu")
    page.goto("/")
    assert_folded_into_a_menu(nav, [nav.get_by_role("link", name="Log in")])
    assert_no_sideways_scroll(page)
    sign_in(page, user)

    links = [nav.get_by_role("link", name=name, exact=True) for name in ("Your profile", "Perks")]
    assert_folded_into_a_menu(nav, links)
    menu.click()
    for link in links:
        expect(link).to_be_visible()
    address = nav.get_by_role("link", name=LONG_EMAIL)
    expect(address).to_be_visible()
    address_box = address.bounding_box()
    assert address_box
    assert address_box["x"] + address_box["width"] <= PHONE["width"]
    page.keyboard.press("Escape")
    expect(links[0]).to_be_hidden()

    # The keyboard opens it as well, and leads into it.
    menu.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Find a person")).to_be_focused()
    page.keyboard.press("Escape")

    for path in (
        "/",
        "/me/",
        "/perks/",
        "/inbox/",
        "/accounts/email/",
        f"/perks/{campaign.pk}/",
        "/brands/chevy/",
        f"/brands/chevy/{campaign.pk}/",
    ):
        page.goto(path)
        assert_no_sideways_scroll(page)

    # The claims table shows a card a claim, whole on the screen, in a box a keyboard reaches.
    claims = page.get_by_role("region", name="Claims table")
    expect(claims).to_have_attribute("tabindex", "0")
    assert claims.evaluate("box => box.scrollWidth <= box.clientWidth")
    expect(claims.get_by_text("Mark fulfilled")).to_be_visible()


def test_a_desktop_shows_the_navigation_links_in_one_row_without_a_menu(page):
    user, _ = long_named_world()
    type(user).objects.filter(pk=user.pk).update(is_staff=True)  # the longest row: Staff too
    page.set_viewport_size(DESKTOP)
    nav = page.get_by_role("navigation", name="Main")
    page.goto("/")
    expect(nav.get_by_role("link", name="Sign up")).to_be_visible()
    sign_in(page, user)

    expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
    middles = []
    for name in ("Find a person", "Staff", "Your profile", "Brands", "Inbox", LONG_EMAIL):
        link = nav.get_by_role("link", name=name)  # Inbox carries its unread count
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box
        middles.append(box["y"] + box["height"] / 2)
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    assert max(middles) - min(middles) < 2, middles
    assert_no_sideways_scroll(page)


@pytest.fixture
def touch_phone(browser, live_server):
    """A page on a phone with a touch screen, whose pointer is coarse."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_beside(box, label):
    """A 20 px (or larger) checkbox with its label beside it, the label's lines all right of
    the box, the first on the box's row."""
    box_at, label_at = box.bounding_box(), label.bounding_box()
    assert box_at
    assert label_at
    assert box_at["width"] >= 20
    assert box_at["height"] >= 20
    assert label_at["x"] >= box_at["x"] + box_at["width"]
    assert label_at["y"] <= box_at["y"] + box_at["height"] / 2 <= label_at["y"] + 24


def test_a_touch_phone_has_big_checkboxes_beside_their_labels_and_tall_targets(touch_phone):
    page = touch_phone
    user, campaign = long_named_world()
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    page.goto("/accounts/login/")
    assert_beside(
        page.get_by_role("checkbox", name="Remember me"),
        page.locator("label", has_text="Remember me"),
    )
    sign_in(page, user)

    page.goto("/settings/notifications/")
    weekly = page.locator("label", has_text="E-mail me a weekly score summary")
    assert_beside(page.get_by_role("checkbox", name="E-mail me a weekly score summary"), weekly)
    assert weekly.bounding_box()["height"] > 30  # it wraps on a phone: beside the box, still

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Menu").click()
    targets = nav.locator("#nav-menu").locator("a, button")
    for n in range(targets.count()):
        assert targets.nth(n).bounding_box()["height"] >= 44, targets.nth(n).inner_text()

    page.goto(f"/brands/chevy/{campaign.pk}/")
    ask = page.get_by_text("Mark fulfilled")
    assert ask.bounding_box()["height"] >= 44
    ask.click()
    assert page.get_by_role("button", name="Yes, it is fulfilled").bounding_box()["height"] >= 44


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_200_letter_word_in_a_title_or_a_message_never_widens_the_page(page, screen):
    """A name with no space to break at (a brand's, a campaign's, a claimant's) breaks inside
    the word instead: in a heading, a table's cell and a message alike."""
    user, campaign = long_named_world()
    word = "W" * 199  # with its first letter, 200: as long as a name may be
    Brand.objects.filter(pk=campaign.brand_id).update(name=f"B{word}")
    Campaign.objects.filter(pk=campaign.pk).update(title=f"C{word}")
    Person.objects.filter(owner=user).update(display_name=f"P{word}")
    page.set_viewport_size(screen)
    sign_in(page, user)

    page.goto("/brands/chevy/")
    expect(page.get_by_role("heading", name=f"B{word}")).to_be_visible()
    expect(page.get_by_role("link", name=f"C{word}")).to_be_visible()
    assert_no_sideways_scroll(page)

    page.goto(f"/brands/chevy/{campaign.pk}/")
    expect(page.get_by_role("heading", name=f"C{word}")).to_be_visible()
    assert_no_sideways_scroll(page)
    page.get_by_text("Mark fulfilled").click()
    page.get_by_role("button", name="Yes, it is fulfilled").click()
    message = page.get_by_text(f"Marked fulfilled: P{word} is told.")
    expect(message).to_be_visible()
    assert _right_edge(message) <= screen["width"]
    assert_no_sideways_scroll(page)

    page.goto("/brands/")
    expect(page.get_by_role("link", name=f"B{word}")).to_be_visible()
    assert_no_sideways_scroll(page)


def _right_edge(locator):
    box = locator.bounding_box()
    assert box
    return box["x"] + box["width"]
