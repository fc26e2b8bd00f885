import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 800}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_visitor_finds_how_to_reach_sway_from_the_footer(page, settings, viewport):
    settings.CONTACT_EMAIL = "help@sway.example"
    page.set_viewport_size(viewport)
    page.goto("/")

    page.get_by_role("contentinfo").get_by_role("link", name="Contact").click()

    expect(page).to_have_title("Contact · Sway")
    expect(page.get_by_role("heading", name="Contact Sway")).to_be_visible()
    address = page.get_by_role("link", name="help@sway.example")
    expect(address).to_have_attribute("href", "mailto:help@sway.example")
    expect(address).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
