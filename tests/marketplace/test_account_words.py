"""allauth's e-mails and pages speak as Sway: its name from settings.SITE_NAME, never the host
or "user …", sentence case ("Log in", "Sign up"), and every "contact us" a link to /contact/."""

import re

import pytest
from django.core import mail

from marketplace.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_EMAIL = "o'brien+new@example.com"  # an apostrophe, which HTML would escape
FOOTER = "\n\n— Sway. Questions? Contact us: http://testserver/contact/"


def _sign_up(client, email=NEW_EMAIL, **extra):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        **extra,
    )


def _only_mail():
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    return mail.outbox[0]


def _link(body, path_pattern):
    found = re.search(rf"http://testserver{path_pattern}", body)
    assert found, body
    return found.group(0)


def test_sign_up_email_welcomes_the_person_as_sway(client):
    _sign_up(client)

    message = _only_mail()
    link = _link(message.body, r"/accounts/confirm-email/[^/\s]+/")
    assert message.subject == "[Sway] Confirm your e-mail address to finish signing up"
    assert message.from_email == "Sway <hello@sway.localhost>"
    assert message.body == (
        f"Welcome to Sway! To finish signing up, confirm that {NEW_EMAIL} is your address:\n\n"
        f"{link}\n\n"
        "Open the link in the browser you signed up with and you will be logged in too.\n\n"
        "If you did not sign up, ignore this e-mail: nobody can log in with this address until "
        f"it is confirmed.{FOOTER}"
    )


def test_signing_up_again_with_a_known_address_says_so_as_sway(client, user):
    _sign_up(client, email=user.email)

    message = _only_mail()
    assert message.subject == "[Sway] You already have an account"
    assert message.body == (
        f"Someone, probably you, tried to sign up for Sway with {user.email}, but you already "
        "have an account with that address, so nothing has changed.\n\n"
        "Forgotten your password? Choose a new one here:\n\n"
        "http://testserver/accounts/password/reset/\n\n"
        f"If it was not you, ignore this e-mail.{FOOTER}"
    )


def test_password_reset_email_speaks_as_sway(client, user):
    client.post("/accounts/password/reset/", {"email": user.email})

    message = _only_mail()
    link = _link(message.body, r"/accounts/password/reset/key/\S+/")
    assert message.subject == "[Sway] Choose a new password"
    assert message.body == (
        f"Someone, probably you, asked for a new Sway password for {user.email}. Choose one "
        f"here:\n\n{link}\n\n"
        f"If it was not you, ignore this e-mail: your password stays as it is.{FOOTER}"
    )


def test_password_reset_for_an_unknown_address_speaks_as_sway(client):
    client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    message = _only_mail()
    assert message.subject == "[Sway] No account for this address"
    assert message.body == (
        "Someone, probably you, tried to use Sway with nobody@example.com, but there is no "
        "account with that address. Perhaps you signed up with another one.\n\n"
        "To make an account with this address, sign up here:\n\n"
        "http://testserver/accounts/signup/\n\n"
        f"If it was not you, ignore this e-mail.{FOOTER}"
    )


def test_an_added_address_is_confirmed_by_an_email_from_sway(client, user):
    client.force_login(user)

    client.post("/accounts/email/", {"action_add": "", "email": "second@example.com"})

    message = _only_mail()
    link = _link(message.body, r"/accounts/confirm-email/[^/\s]+/")
    assert message.subject == "[Sway] Please confirm your e-mail address"
    assert message.body == (
        f"Please confirm that second@example.com is your e-mail address for Sway:\n\n{link}\n\n"
        f"If you did not ask for this, ignore this e-mail.{FOOTER}"
    )


def test_the_name_in_emails_is_the_setting_and_links_follow_the_host(client, settings):
    settings.SITE_NAME = "Sway Beta"
    settings.ALLOWED_HOSTS = ["sway.example"]

    _sign_up(client, HTTP_HOST="sway.example")

    message = _only_mail()
    assert message.subject == "[Sway Beta] Confirm your e-mail address to finish signing up"
    assert message.body.startswith("Welcome to Sway Beta! ")
    assert "http://sway.example/accounts/confirm-email/" in message.body
    assert message.body.endswith(
        "\n\n— Sway Beta. Questions? Contact us: http://sway.example/contact/"
    )


@pytest.mark.parametrize(
    "email",
    ["nul\x00@example.com", "bell\x07@example.com", "a" * 10_000 + "@example.com", "1e999999"],
)
def test_sign_up_refuses_hostile_addresses_without_an_email(client, email):
    response = _sign_up(client, email=email)

    assert response.status_code in (200, 400)
    assert mail.outbox == []
    assert not User.objects.exists()


# (path, heading) of each account page a visitor can reach
VISITOR_PAGES = [
    ("/accounts/login/", "Log in"),
    ("/accounts/signup/", "Sign up"),
    ("/accounts/confirm-email/", "Check your e-mail"),
    ("/accounts/confirm-email/no-such-key/", "Confirm your e-mail address"),
    ("/accounts/password/reset/", "Forgotten your password?"),
    ("/accounts/password/reset/done/", "Check your e-mail"),
    ("/accounts/password/reset/key/1-no-such-key/", "This link no longer works"),
    ("/accounts/inactive/", "Account closed"),
    ("/accounts/3rdparty/login/cancelled/", "Cancelled"),
]
# … and a signed-in member
MEMBER_PAGES = [
    ("/accounts/email/", "Your e-mail addresses"),
    ("/accounts/password/change/", "Change your password"),
    ("/accounts/logout/", "Log out"),
    ("/accounts/reauthenticate/", "Confirm it is you"),
]
FRAMEWORK_WORDS = re.compile(
    r"Sign In|Sign Up|Sign Out|Signup|sign in|Email Address|Password Reset|Remember Me|"
    r"for user|Menu:|Messages:|Hello from|testserver"
)


def _page(client, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def _assert_sways_words(body, heading):
    assert re.search(rf"<h1>{re.escape(heading)}</h1>", body), body
    assert not FRAMEWORK_WORDS.search(body), FRAMEWORK_WORDS.search(body)
    for mention in re.finditer(r"contact us", body, re.IGNORECASE):
        assert body[: mention.start()].endswith('<a href="/contact/">'), body


@pytest.mark.parametrize(("path", "heading"), VISITOR_PAGES)
def test_account_pages_speak_as_sway_to_a_visitor(client, path, heading):
    _assert_sways_words(_page(client, path), heading)


@pytest.mark.parametrize(("path", "heading"), MEMBER_PAGES)
def test_account_pages_speak_as_sway_to_a_member(client, user, path, heading):
    client.force_login(user)

    _assert_sways_words(_page(client, path), heading)


def test_forms_are_labelled_in_sways_words(client):
    login = _page(client, "/accounts/login/")
    signup = _page(client, "/accounts/signup/")

    assert '<label for="id_login">E-mail address:</label>' in login
    assert 'placeholder="E-mail address"' in login
    assert (  # a checkbox like every other: the box first, its label beside it
        '<p class="checkbox"><input type="checkbox" name="remember" id="id_remember"> '
        '<label for="id_remember">Remember me</label></p>'
    ) in login
    assert '<a href="/accounts/password/reset/">Forgotten your password?</a>' in login
    assert '<label for="id_email">E-mail address:</label>' in signup
    assert '<button type="submit">Sign up</button>' in signup


def test_changing_the_password_uses_sways_labels_and_works(client, user):
    client.force_login(user)
    page = _page(client, "/accounts/password/change/")

    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "a new passphrase", "password2": "a new passphrase"},
    )

    assert '<label for="id_oldpassword">Current password:</label>' in page
    assert '<label for="id_password1">New password:</label>' in page
    user.refresh_from_db()
    assert user.check_password("a new passphrase")


def test_the_email_page_lists_addresses_and_makes_another_the_main_one(client):
    user = UserFactory(email="first@example.com")
    second = user.emailaddress_set.create(email="second@example.com", verified=True)
    client.force_login(user)
    page = _page(client, "/accounts/email/")

    client.post("/accounts/email/", {"action_primary": "", "email": second.email})

    assert "<strong>first@example.com</strong>" in page
    assert '<span class="tag tag-good">Confirmed</span>' in page
    assert '<span class="tag">Main</span>' in page
    second.refresh_from_db()
    assert second.primary


def _actions(page, email):
    """The buttons the e-mail page offers for one address."""
    item = page.split(f"<strong>{email}</strong>", 1)[1].split("</li>", 1)[0]
    assert item.count(f'<input type="hidden" name="email" value="{email}">') <= 1
    return re.findall(r'<button type="submit" name="(action_\w+)"', item)


def test_the_email_page_offers_for_each_address_only_what_makes_sense_for_it(client):
    user = UserFactory(email="main@example.com")
    client.force_login(user)
    alone = _page(client, "/accounts/email/")
    user.emailaddress_set.create(email="second@example.com", verified=True)
    user.emailaddress_set.create(email="new@example.com", verified=False)

    page = _page(client, "/accounts/email/")

    assert _actions(alone, "main@example.com") == []
    assert "<form" not in alone.split("<strong>main@example.com</strong>", 1)[1].split("</li>")[0]
    assert _actions(page, "main@example.com") == []
    assert _actions(page, "second@example.com") == ["action_primary", "action_remove"]
    assert _actions(page, "new@example.com") == ["action_send", "action_remove"]


def _field(page, name):
    """The markup of one field of a form: its label, errors, input and help."""
    return page.split(f'<label for="id_{name}">', 1)[1].split('<div class="field">', 1)[0]


def test_sign_up_says_each_problem_under_the_label_of_its_field(client):
    response = client.post(
        "/accounts/signup/", {"email": NEW_EMAIL, "password1": "abc", "password2": "abd"}
    )

    page = response.content.decode()
    email, password, again = (
        _field(page, "email"),
        _field(page, "password1"),
        _field(page, "password2"),
    )
    assert "errorlist" not in email
    assert password.index("This password is too short.") < password.index('name="password1"')
    assert again.startswith("Password (again):</label>")
    assert again.index("You must type the same password each time.") < again.index(
        'name="password2"'
    )
    assert not User.objects.exists()


def test_changing_the_password_says_the_two_differ_even_when_the_first_is_refused(client, user):
    client.force_login(user)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "abc", "password2": "abd"},
    )

    again = _field(response.content.decode(), "password2")
    assert "You must type the same password each time." in again
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_wrong_password_is_told_in_plain_words(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": "not it"})

    page = response.content.decode()
    assert "The e-mail address or password is not right." in page
    assert "and/or" not in page
