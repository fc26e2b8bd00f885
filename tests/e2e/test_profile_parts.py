"""A profile in a real browser reads its parts as shares of people, with their figures at
hand, and offers its badge's code, copied by a button or, without JavaScript, by hand."""

import math
import re

import pytest
from playwright.sync_api import expect

from tests.scoring.worlds import alice, scored_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}


def test_parts_read_as_percentiles_and_the_badge_code_copies(browser, live_server, tmp_path):
    scored_world(tmp_path)
    person = alice()
    details = person.score_details
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"/p/{person.public_id}/")

    share = math.floor(details["percentiles"]["reach"])
    rank = page.locator(".part", has_text="Reach").locator(".part-rank")
    expect(rank).to_have_text(f"Higher than {share} % of people")
    expect(rank).to_have_attribute("title", f"Reach: {details['reach']:.0f}")
    page.get_by_text("The figure").first.click()
    expect(page.get_by_text(f"Reach: {details['reach']:.0f}", exact=True)).to_be_visible()
    expect(page.locator(".score-link")).to_have_attribute("href", "/about/score/")

    page.get_by_text("Get the code for this badge").click()
    expect(page.locator(".embed img")).to_have_js_property("naturalWidth", 220)
    page.get_by_role("button", name="Copy the HTML").click()
    expect(page.get_by_role("status")).to_have_text("HTML copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_label("HTML").input_value()
    assert copied.startswith(f'<a href="{live_server.url}/p/{person.public_id}/"><img src=')

    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()

    without_script = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    page = without_script.new_page()
    page.goto(f"/p/{person.public_id}/")
    page.get_by_text("Get the code for this badge").click()
    expect(page.get_by_role("button", name=re.compile("Copy"))).to_have_count(0)
    field = page.get_by_label("Markdown")
    field.select_text()
    selected = "(f => f.value.slice(f.selectionStart, f.selectionEnd))(document.activeElement)"
    assert page.evaluate(selected) == field.input_value()
    assert field.input_value().startswith("[![Alice Martin: Sway score")
    without_script.close()
