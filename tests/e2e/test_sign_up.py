import pytest
from playwright.sync_api import expect

from tests.support import link_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "ada@example.com"
PASSWORD = "a long and memorable passphrase"


def test_new_person_signs_up_confirms_by_email_and_is_logged_in(page, live_server, smtp_inbox):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    expect(page).to_have_title("Sign up · Sway")
    page.get_by_label("E-mail address:").fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    expect(page.get_by_role("link", name="contact us")).to_have_attribute("href", "/contact/")

    message = smtp_inbox.wait_for(EMAIL)
    body = message.get_content()
    assert message["Subject"] == "[Sway] Confirm your e-mail address to finish signing up"
    assert message["From"] == "Sway <hello@sway.localhost>"
    assert body.startswith(f"Welcome to Sway! To finish signing up, confirm that {EMAIL} is")
    assert body.rstrip().endswith(f"— Sway. Questions? Contact us: {live_server.url}/contact/")
    page.goto(link_in(body, r"/accounts/confirm-email/\S+/"))
    expect(page.get_by_role("heading", name="Confirm your e-mail address")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text(f"Thank you: {EMAIL} is confirmed.")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_have_count(0)
