"""Before a code is handed out the page says how each network is verified here, offers only
ways that can work on this site, and explains every failure in a sentence."""

import re
from urllib.parse import quote

import pytest

from scoring.models import Handle, HandleVerification, Person
from tests.recorded_server import serving

pytestmark = pytest.mark.django_db

TWITTER_KEYS = {"APP": {"client_id": "sway-test", "secret": "sway-test-secret"}}


def twitter_handle():
    return Handle.objects.create(
        person=Person.objects.create(), network="twitter", external_id="9", username="alice"
    )


def ways(body):
    """Each network's line of the list, as text: {"Mastodon": "a code from Sway …"}."""
    listed = body[body.index('aria-label="How each network is verified"') :].split("</ul>")[0]
    items = re.findall(r"<strong>(.*?)</strong>(.*?)</li>", listed, re.DOTALL)
    return {
        name: " ".join(re.sub(r"<[^>]+>", " ", way).split()).removeprefix(": ")
        for name, way in items
    }


def test_the_page_says_how_each_network_is_verified_and_offers_no_sign_in_without_keys(
    client, user
):
    client.force_login(user)

    listed = ways(client.get("/verify/").content.decode())

    assert listed["Mastodon"] == "put a code from Sway in the account's bio or a public post."
    assert listed["X / Twitter"] == "cannot be verified on this site yet."
    assert len(listed) == 8
    assert not any("Verify with" in way for way in listed.values())


def test_a_network_with_keys_on_this_site_offers_signing_in(client, user, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {**settings.SOCIALACCOUNT_PROVIDERS,
                                        "twitter_oauth2": TWITTER_KEYS}  # fmt: skip
    client.force_login(user)

    listed = ways(client.get("/verify/").content.decode())

    assert listed["X / Twitter"] == "Verify with X / Twitter"
    assert listed["Facebook"] == "cannot be verified on this site yet."


def test_no_code_is_handed_out_for_a_network_sway_cannot_read(client, user, settings):
    twitter_handle()
    client.force_login(user)

    without_keys = client.post("/verify/", {"handle": "twitter:@alice"}).content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {**settings.SOCIALACCOUNT_PROVIDERS,
                                        "twitter_oauth2": TWITTER_KEYS}  # fmt: skip
    with_keys = client.post("/verify/", {"handle": "twitter:@alice"}).content.decode()

    assert "A code does not work for X / Twitter" in without_keys
    assert "cannot be verified on this site yet; to have one taken off Sway" in without_keys
    assert "Use “Verify with X / Twitter” below instead." in with_keys
    assert not HandleVerification.objects.exists()


def mastodon_verification(user, username):
    handle = Handle.objects.create(
        person=Person.objects.create(), network="mastodon", external_id=username.casefold(),
        username=username,
    )  # fmt: skip
    return HandleVerification.objects.create(user=user, handle=handle)


def check(client, verification):
    body = client.post(f"/verify/{verification.pk}/").content.decode()
    return body.split('role="alert">')[1].split("</p>")[0]


@pytest.fixture
def server(settings):
    with serving({}, throttled={}) as recorded:
        settings.MASTODON_INSTANCE_URLS = {"social.example": recorded.url}
        yield recorded


def test_a_server_that_does_not_exist_is_named(client, user):
    client.force_login(user)
    verification = mastodon_verification(user, "ada@mastodon.invalid")

    assert check(client, verification) == (
        "Sway could not find the server mastodon.invalid: check the part of the handle after "
        "its second @, or try again later if it is right."
    )


def test_a_handle_without_a_server_says_so(client, user):
    client.force_login(user)
    verification = mastodon_verification(user, "ada")

    assert (
        check(client, verification) == "mastodon:@ada does not say which Mastodon server it is on."
    )


def test_a_server_that_refuses_is_named(client, user, settings):
    settings.MASTODON_INSTANCE_URLS = {"down.example": "http://127.0.0.1:9"}
    client.force_login(user)
    verification = mastodon_verification(user, "ada@down.example")

    assert check(client, verification) == (
        "Sway could not reach down.example. Try again in a few minutes."
    )


def test_an_unknown_account_a_busy_server_and_a_strange_answer_are_explained(client, user, server):
    client.force_login(user)
    lookup = f"/api/v1/accounts/lookup?acct={quote('ada@social.example')}"
    verification = mastodon_verification(user, "ada@social.example")

    unknown = check(client, verification)
    server.throttled[lookup] = [1, {"Retry-After": "30"}]
    busy = check(client, verification)  # answered at once: a person is waiting
    server.routes[lookup] = ("<html>hello</html>", None)
    strange = check(client, verification)

    assert unknown == (
        "social.example says it has no account ada@social.example. Check how the handle is spelled."
    )
    assert busy == "social.example is busy and asked Sway to wait. Try again in a few minutes."
    assert strange == (
        "social.example did not answer as a Mastodon server does. Check the part of the handle "
        "after its second @."
    )
    verification.refresh_from_db()
    assert verification.failure == strange
