"""A profile's history and reasons in a real browser, at a desktop's size and a phone's: on
the first day Sway scores someone the page says there is no earlier day to compare with, and
once the days before are scored (compute_scores --since, as `make run` does) it compares; the
chart's labels stay readable on both."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from scoring.models import Person
from tests.scoring.worlds import fans_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAST = "2026-11-17"
FIRST_DAY = (
    "This is the first day Sway scored Alice Martin; there is no earlier day to compare with."
)


def label_sizes(history):
    """The size in pixels of each axis label of the chart shown, as drawn on the screen."""
    return history.locator("svg.chart:visible").evaluate(
        """chart => [...chart.querySelectorAll('.chart-label')].map(label =>
            parseFloat(getComputedStyle(label).fontSize)
            * chart.getBoundingClientRect().width / chart.viewBox.baseVal.width)"""
    )


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_a_first_day_says_so_and_a_history_explains_the_move(page, tmp_path, width, height):
    fans_world(tmp_path)
    call_command("compute_scores", "--as-of", LAST)
    person = Person.objects.get(handles__username="alice")
    page.set_viewport_size({"width": width, "height": height})

    page.goto(f"/p/{person.public_id}/")

    history = page.get_by_role("region", name="The last 90 days")
    expect(
        history.get_by_role("img", name=re.compile(r"the only day scored so far\.$"))
    ).to_be_visible()
    expect(history.get_by_text("so the chart has one point so far")).to_be_visible()
    reasons = page.get_by_role("region", name="Why it moved")
    expect(reasons.get_by_text(FIRST_DAY)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == width

    call_command("compute_scores", "--as-of", LAST, "--since", "8d")
    page.reload()

    expect(
        history.get_by_role("img", name=re.compile(r"^Score from 1 on 10 November to"))
    ).to_be_visible()
    expect(history.get_by_text("one point")).to_have_count(0)
    expect(reasons.get_by_role("listitem")).to_have_text(
        re.compile(r"^-\d+\.\d engagement from weeks ago is fading$")
    )
    assert page.evaluate("document.documentElement.scrollWidth") == width
    assert min(label_sizes(history)) >= 12  # px: a wide chart shrunk onto a phone's made 6
