import pytest
from playwright.sync_api import expect

from tests.support import link_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "ada@example.com"
PASSWORD = "a long and memorable passphrase"


def test_new_user_signs_up_verifies_by_email_logs_in_and_is_greeted(page, smtp_inbox):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email:").fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    message = smtp_inbox.wait_for(EMAIL)
    page.goto(link_in(message.get_content(), r"/accounts/confirm-email/\S+/"))
    page.get_by_role("button", name="Confirm").click()

    page.goto("/accounts/login/")
    page.get_by_label("Email:").fill(EMAIL)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("heading", name=f"Welcome back, {EMAIL}")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
