"""The page on how the score is made, in a real browser at a desktop's size and a phone's:
the footer leads there, its chart and tables show, and nothing is wider than the screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ModelBacktestFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_score_page_fits_a_desktop_and_a_phone(page, width, height):
    ModelBacktestFactory()
    page.set_viewport_size({"width": width, "height": height})

    page.goto("/")
    page.get_by_role("link", name="How the score works").click()

    expect(page.get_by_role("heading", name="How the Sway score is made")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile(r"^Spearman's rho: Sway score \(v1\) 0\.259"))
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    figures = page.get_by_role("table", name="The latest measurement in figures")
    expect(figures.get_by_role("row", name="Sway score (v1) 0.259 0.483")).to_be_visible()
    weeks = page.get_by_role("region", name="Every week")
    expect(weeks.get_by_role("cell", name="29 Nov 2026")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == width
