import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from marketplace.models import User
from tests.factories import PASSWORD
from tests.support import link_in, path_of

pytestmark = pytest.mark.django_db

NEW_EMAIL = "new.person@example.com"


def _sign_up(client, email=NEW_EMAIL):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def _log_in(client, email=NEW_EMAIL, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def _confirmation_path(message):
    return path_of(link_in(str(message.body), r"/accounts/confirm-email/\S+/"))


def test_sign_up_sends_a_verification_email_and_does_not_log_in(client):
    response = _sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert [m.to for m in mail.outbox] == [[NEW_EMAIL]]
    assert mail.outbox[0].subject == "[Sway] Confirm your e-mail address to finish signing up"
    assert not EmailAddress.objects.get(email=NEW_EMAIL).verified
    assert "_auth_user_id" not in client.session


def test_log_in_is_refused_until_the_address_is_verified(client):
    _sign_up(client)

    response = _log_in(client)

    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_following_the_link_in_the_browser_that_signed_up_logs_the_person_in(client):
    _sign_up(client)
    confirm = _confirmation_path(mail.outbox[0])

    assert client.get(confirm).status_code == 200
    response = client.post(confirm)

    assert EmailAddress.objects.get(email=NEW_EMAIL).verified
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(User.objects.get(email=NEW_EMAIL).pk)


def test_following_the_link_elsewhere_confirms_the_address_but_logs_nobody_in(client):
    _sign_up(client)
    elsewhere = Client()

    response = elsewhere.post(_confirmation_path(mail.outbox[0]))

    assert EmailAddress.objects.get(email=NEW_EMAIL).verified
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in elsewhere.session
    assert _log_in(elsewhere)["Location"] == "/"
    assert elsewhere.session["_auth_user_id"] == str(User.objects.get(email=NEW_EMAIL).pk)


def test_duplicate_sign_up_creates_no_second_account(client, user):
    response = _sign_up(client, email=user.email.upper())

    assert response.status_code == 302
    assert User.objects.filter(email__iexact=user.email).count() == 1


def test_repeated_wrong_passwords_are_rate_limited(client, user):
    for _ in range(5):
        assert _log_in(client, user.email, "wrong password").status_code == 200

    response = _log_in(client, user.email, PASSWORD)

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(client, user):
    client.post("/accounts/password/reset/", {"email": user.email})
    link = link_in(str(mail.outbox[0].body), r"/accounts/password/reset/key/\S+/")

    form_page = client.get(path_of(link), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a brand new passphrase", "password2": "a brand new passphrase"},
    )

    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")


def test_signed_in_user_changes_their_password(client, user):
    client.force_login(user)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another passphrase",
            "password2": "another passphrase",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another passphrase")


def test_log_out_ends_the_session(client, user):
    client.force_login(user)

    client.post("/accounts/logout/")

    assert "_auth_user_id" not in client.session


def test_account_pages_use_the_site_frame(client):
    body = client.get("/accounts/login/").content.decode()

    assert '<link rel="stylesheet" href="/static/css/site.css">' in body
    assert 'class="page page-narrow account"' in body
    assert re.search(r"<title>\s*Log in\s*· Sway</title>", body)
