"""The perk's preview on the builder's review step, in Chromium on a desktop and on a phone:
framed in a sandbox that runs no script, the page has none (nothing blocked in the console),
its header is a signed-out visitor's, and a phone shows only the phone-sized frame."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import sign_in
from tests.e2e.test_targeting_pickers import SIZES, draft_of_a_brand_owned_by
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", SIZES)
def test_the_preview_runs_no_script_and_shows_no_member(page, size):
    owner = UserFactory()
    draft = draft_of_a_brand_owned_by(owner)
    page.set_viewport_size(SIZES[size])
    sign_in(page, owner)
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(f"/brands/chevy/{draft.pk}/edit/review/")
    phone = page.frame_locator('iframe[title="The perk on a phone"]')
    expect(phone.get_by_role("heading", name="Volt weekend")).to_be_visible()
    nav = phone.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in", include_hidden=True)).to_be_attached()
    expect(nav).not_to_contain_text(owner.email)
    assert phone.locator("script").count() == 0
    wide = page.get_by_role("figure").filter(has_text="On a computer")
    if size == "phone":
        expect(wide).to_be_hidden()
    else:
        expect(wide).to_be_visible()
        frame = page.frame_locator('iframe[title="The perk on a computer"]')
        expect(frame.get_by_role("heading", name="Volt weekend")).to_be_visible()
    page.wait_for_timeout(300)
    assert not [text for text in console if "sandboxed" in text], console
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
