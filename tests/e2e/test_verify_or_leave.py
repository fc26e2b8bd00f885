"""A newcomer whose handle is on a network this site cannot verify: the handles page says so
before handing out any code, and opting out by asking staff still works, on a phone too."""

import pytest
from playwright.sync_api import expect

from scoring.models import OptOutRequest
from tests.e2e.browsing import sign_in
from tests.factories import UserFactory
from tests.scoring.worlds import alice, scored_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_a_twitter_user_learns_how_to_verify_and_can_still_leave(page, tmp_path, size):
    scored_world(tmp_path)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    user = UserFactory()
    sign_in(page, user)

    page.goto("/verify/")
    ways = page.get_by_role("list", name="How each network is verified")
    expect(ways.get_by_role("listitem").filter(has_text="Mastodon")).to_contain_text("a code")
    expect(ways.get_by_role("listitem").filter(has_text="X / Twitter")).to_contain_text(
        "cannot be verified on this site yet"
    )
    page.get_by_label("Your handle").fill("twitter:@Alice")
    page.get_by_role("button", name="Get a verification code").click()
    expect(page.get_by_text("A code does not work for X / Twitter")).to_be_visible()

    page.get_by_role("link", name="Opt out of Sway").click()
    page.get_by_label("The handle").fill("twitter:@Alice")
    page.get_by_label("How can staff tell it is yours?").fill("My bio links to alice.example")
    page.get_by_role("button", name="Ask to opt this handle out").click()

    expect(page.get_by_text("twitter:@Alice no longer shows on Sway")).to_be_visible()
    requests = page.get_by_role("list", name="Your opt-out requests")
    expect(requests).to_contain_text("Waiting for review")
    assert OptOutRequest.objects.get().user == user
    assert page.goto(f"/p/{alice().public_id}/").status == 404
