"""What the browser tests do the same way: signing in through the login page."""

from playwright.sync_api import expect

from tests.factories import PASSWORD


def sign_in(page, user):
    """Log in as `user`, and wait until the navigation names them (behind the menu on a
    phone)."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address:").fill(user.email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=user.email, include_hidden=True)).to_be_attached()
