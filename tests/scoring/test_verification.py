"""Verifying a handle with a code in its bio or a post, read back from a Mastodon server
recorded and served over HTTP."""

from urllib.parse import quote

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail

from marketplace.models import Notification
from scoring.models import Handle, HandleVerification, Person, ScoreDetails, Verification
from tests.factories import UserFactory
from tests.recorded_server import serving

pytestmark = pytest.mark.django_db

HOST = "social.example"


def account(number, note=""):
    return {"id": str(number), "username": f"user{number}", "acct": f"user{number}",
            "display_name": f"User {number}", "note": note, "fields": []}  # fmt: skip


def status(text):
    return {"id": "1", "created_at": "2026-11-20T10:00:00.000Z", "content": f"<p>{text}</p>"}


@pytest.fixture
def server(settings):
    with serving({}) as recorded:
        settings.MASTODON_INSTANCE_URLS = {HOST: recorded.url}
        yield recorded


def shows(server, handle, *, note="", posts=()):
    """Record what the handle's server answers about it."""
    number = int(handle.external_id.split("@")[0].removeprefix("user"))
    server.routes[f"/api/v1/accounts/lookup?acct={quote(handle.username)}"] = (
        account(number, note),
        None,
    )
    server.routes[f"/api/v1/accounts/{number}/statuses?limit=20"] = (
        [status(text) for text in posts],
        None,
    )


def mastodon_handle(number, *, raw=0.0, owner=None):
    details = {"model": "v1", "raw": raw, "networks": {"mastodon": raw}} if raw else {}
    person = Person.objects.create(
        display_name=f"User {number}",
        owner=owner,
        score=10.0 if raw else None,
        score_model="v1" if raw else "",
    )
    if details:
        ScoreDetails.objects.create(person=person, data=details)
    return Handle.objects.create(
        person=person, network="mastodon", external_id=f"user{number}@{HOST}",
        username=f"user{number}@{HOST}",
    )  # fmt: skip


def start(client, text):
    response = client.post("/verify/", {"handle": text})
    assert response.status_code == 302, response.content.decode()
    return HandleVerification.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def test_a_code_in_the_bio_makes_the_handle_and_its_person_yours(client, user, server):
    handle = mastodon_handle(1, raw=3.0)
    client.force_login(user)

    verification = start(client, f"@user1@{HOST}")
    page = client.get(f"/verify/{verification.pk}/").content.decode()
    assert verification.code in page
    shows(server, handle, note=f"Gardener. {verification.code}")
    response = client.post(f"/verify/{verification.pk}/")

    handle.refresh_from_db()
    assert response.status_code == 302
    assert response.url == f"/p/{handle.person.public_id}/"
    assert (handle.verification, handle.person.owner) == (Verification.VERIFIED, user)
    assert client.get("/me/").url == response.url


def test_a_code_in_a_recent_post_counts_too(client, user, server):
    handle = mastodon_handle(1)
    client.force_login(user)
    verification = start(client, f"https://{HOST}/@user1")
    shows(server, handle, posts=["hello", f"verifying {verification.code} for Sway"])

    client.post(f"/verify/{verification.pk}/")

    handle.refresh_from_db()
    assert handle.person.owner == user


def test_without_the_code_nothing_changes_and_the_page_says_why(client, user, server):
    handle = mastodon_handle(1)
    client.force_login(user)
    verification = start(client, f"@user1@{HOST}")
    shows(server, handle, note="just a bio", posts=["nothing here"])

    response = client.post(f"/verify/{verification.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert f"{verification.code} is not in the bio, the profile fields or the latest 20" in body
    handle.refresh_from_db()
    assert (handle.verification, handle.person.owner) == (Verification.UNVERIFIED, None)
    verification.refresh_from_db()
    assert verification.verified_at is None
    assert verification.failure.startswith(verification.code)


def test_a_second_handle_joins_your_person_and_the_score_adds_up(client, user, server):
    first, second = mastodon_handle(1, raw=3.0), mastodon_handle(2, raw=2.0)
    client.force_login(user)
    for handle in (first, second):
        verification = start(client, f"@{handle.username}")
        shows(server, handle, note=verification.code)
        client.post(f"/verify/{verification.pk}/")

    mine = Person.objects.get(owner=user)
    assert set(mine.handles.all()) == {first, second}
    assert mine.score_details["raw"] == 5.0
    assert mine.score > 10.0  # calibrate(5.0) is more than either part's
    assert Person.objects.count() == 1  # the second handle's person is gone


def test_a_handle_verified_by_someone_else_moves_and_they_are_told(
    client, user, server, django_capture_on_commit_callbacks
):
    previous = UserFactory()
    handle = mastodon_handle(1, owner=previous)
    Handle.objects.filter(pk=handle.pk).update(verification=Verification.VERIFIED)
    client.force_login(user)
    verification = start(client, f"@user1@{HOST}")
    shows(server, handle, note=verification.code)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/verify/{verification.pk}/")

    handle.refresh_from_db()
    assert handle.person.owner == user
    notice = Notification.objects.get(user=previous)
    assert notice.subject == f"mastodon:@user1@{HOST} was verified by another account"
    assert [m.to for m in mail.outbox] == [[previous.email]]
    assert Person.objects.get(owner=previous).handles.count() == 0


def test_unknown_handles_and_other_peoples_codes_are_refused(client, user, server):
    handle = mastodon_handle(1)
    client.force_login(user)

    body = client.post("/verify/", {"handle": "@nobody@social.example"}).content.decode()
    assert "Sway has not seen mastodon:@nobody@social.example yet" in body
    body = client.post("/verify/", {"handle": "alice"}).content.decode()
    assert "Give the whole handle with its network, as in @alice@mastodon.social." in body

    theirs = HandleVerification.objects.create(user=UserFactory(), handle=handle)
    assert client.get(f"/verify/{theirs.pk}/").status_code == 404
    assert client.post(f"/verify/{theirs.pk}/").status_code == 404


def test_verifying_needs_an_account(client):
    response = client.get("/verify/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_only_the_verified_owner_grants_access_to_a_private_handle(client, user):
    handle = mastodon_handle(1, owner=user)
    Handle.objects.filter(pk=handle.pk).update(verification=Verification.VERIFIED, is_private=True)
    other = UserFactory()

    client.force_login(other)
    assert client.post(f"/handles/{handle.pk}/access/", {"granted": "true"}).status_code == 404
    assert Handle.objects.get(pk=handle.pk).access_granted is False

    client.force_login(user)
    client.post(f"/handles/{handle.pk}/access/", {"granted": "true"})
    assert Handle.objects.get(pk=handle.pk).access_granted is True
    assert "Sway counts its engagement" in client.get("/verify/").content.decode()


def test_connecting_a_network_account_verifies_its_handle(client, user):
    known = Handle.objects.create(
        person=Person.objects.create(), network="twitter", external_id="42", username="alice"
    )
    SocialAccount.objects.create(user=user, provider="twitter_oauth2", uid="42")
    SocialAccount.objects.create(
        user=user, provider="facebook", uid="777", extra_data={"username": "alice.m"}
    )
    client.force_login(user)

    response = client.get("/verify/connected/", follow=True)

    mine = Person.objects.get(owner=user)
    assert {(h.network, h.external_id) for h in mine.handles.all()} == {
        ("twitter", "42"), ("facebook", "777"),
    }  # fmt: skip
    assert known.pk in {h.pk for h in mine.handles.all()}
    assert "twitter:@alice is verified" in response.content.decode()
    assert client.get("/verify/connected/", follow=True).status_code == 200  # nothing twice


def test_a_connected_account_takes_its_username_from_a_handle_that_renamed(client, user):
    stale = Handle.objects.create(
        person=Person.objects.create(), network="facebook", external_id="1", username="alice.m"
    )
    SocialAccount.objects.create(
        user=user, provider="facebook", uid="777", extra_data={"username": "Alice.M"}
    )
    client.force_login(user)

    assert client.get("/verify/connected/").status_code == 302

    stale.refresh_from_db()
    assert stale.username == ""
    assert Person.objects.get(owner=user).handles.get().username == "Alice.M"


@pytest.mark.parametrize("provider", ["facebook", "twitter_oauth2", "instagram", "google"])
def test_signing_in_with_a_network_this_site_has_no_credentials_for_is_not_found(client, provider):
    assert client.get(f"/accounts/{provider}/login/").status_code == 404
