"""Searching in a real browser, where htmx shows results as one types: the address follows the
query and the page, Back shows the query it leads to in the box, and nothing breaks the CSP."""

import pytest
from playwright.sync_api import expect

from scoring.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_address_and_the_box_follow_the_query_and_its_pages(page):
    Person.objects.bulk_create(
        [Person(display_name="Rosa Abe", score=50)]
        + [Person(display_name=f"Quinn {n}", score=n) for n in range(1, 31)]
    )
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto("/search/")
    box = page.get_by_label("Username, handle, profile address or name")
    results = page.locator("#search-results")

    box.fill("rosa abe")
    expect(page).to_have_url("/search/?q=rosa%20abe")
    expect(results.get_by_role("link", name="Rosa Abe")).to_be_visible()
    # A screenshot tool leaves an empty style attribute on the box it hid the caret of: htmx
    # must not carry it over (the CSP refuses inline style) when it swaps the page.
    page.screenshot()
    box.fill("quinn")
    expect(page).to_have_url("/search/?q=quinn")
    expect(results.get_by_text("30 people found")).to_be_visible()

    page.go_back()
    expect(page).to_have_url("/search/?q=rosa%20abe")
    expect(results.get_by_role("link", name="Rosa Abe")).to_be_visible()
    expect(box).to_have_value("rosa abe")

    page.go_forward()
    expect(box).to_have_value("quinn")
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url("/search/?q=quinn&page=2")
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    page.go_back()
    expect(page).to_have_url("/search/?q=quinn")
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(box).to_have_value("quinn")
    assert refused == []
