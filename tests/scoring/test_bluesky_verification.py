"""Verifying a Bluesky handle with a code in its profile, read through the AppView (a local
server speaking its XRPC shapes); then its last 90 days are read and its person scored."""

import pytest

from scoring.models import Handle, HandleVerification, Interaction, Person, Verification
from tests.appview_server import Fault, serving
from tests.scoring.bluesky_events import POST
from tests.scoring.bluesky_world import ALICE, CAROL, alice_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings):
    with serving(alice_world()) as running:
        settings.BLUESKY_APPVIEW_URL = running.url
        yield running


@pytest.fixture
def verification(client, user):
    """Alice's handle, as the stream made it, and the user's code for it."""
    person = Person.objects.create(display_name="alice.bsky.social")
    Handle.objects.create(
        person=person, network="bluesky", external_id=ALICE, username="alice.bsky.social"
    )
    client.force_login(user)
    response = client.post("/verify/", {"handle": "https://bsky.app/profile/alice.bsky.social"})
    assert response.status_code == 302, response.content.decode()
    return HandleVerification.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def check(client, verification, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/verify/{verification.pk}/")


def test_a_code_in_the_description_verifies_reads_90_days_and_scores(
    client, user, server, verification, django_capture_on_commit_callbacks
):
    server.world.profiles[ALICE]["description"] = f"Gardener 🌱 {verification.code}"

    response = check(client, verification, django_capture_on_commit_callbacks)

    handle = Handle.objects.get(external_id=ALICE)
    assert response.status_code == 302
    assert response.url == f"/p/{handle.person.public_id}/"
    assert (handle.verification, handle.person.owner) == (Verification.VERIFIED, user)
    assert Interaction.objects.filter(target=handle).count() == 5  # the backfill's, on p1
    assert handle.person.score is not None  # scored at once, not at tonight's run
    assert handle.person.score_details["networks"]["bluesky"] > 0


def test_a_code_in_a_recent_post_of_its_own_counts_and_in_anothers_not(
    client, user, server, verification, django_capture_on_commit_callbacks
):
    world = server.world
    # Carol quotes the code: her post is in no feed of Alice's.
    record = {"$type": POST, "text": f"{verification.code}?", "createdAt": "2026-01-01T00:00:00Z"}
    world.post(CAROL, "c9", record, "2026-01-01T00:00:01Z")
    refused = check(client, verification, django_capture_on_commit_callbacks)
    assert verification.code in refused.content.decode()
    assert not Handle.objects.get(external_id=ALICE).person.owner

    record = {
        "$type": POST,
        "text": f"Me: {verification.code}",
        "createdAt": "2026-12-31T00:00:00Z",
    }
    world.post(ALICE, "v1", record, "2026-12-31T00:00:01Z")
    check(client, verification, django_capture_on_commit_callbacks)

    assert Handle.objects.get(external_id=ALICE).person.owner == user


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Fault(400, {"error": "InvalidRequest", "message": "Profile not found"}),
         "Bluesky says it has no account bluesky:@alice.bsky.social (any more)."),
        (Fault(429, {"error": "RateLimitExceeded"}, {"RateLimit-Reset": "0"}),
         "Bluesky is busy and asked Sway to wait. Try again in a few minutes."),
        (Fault(502, b"<html>Bad gateway</html>"), "Bluesky had a problem answering."),
        (Fault(200, b"\x00\xff"), "answer could not be read. Try again later."),
    ],
)  # fmt: skip
def test_when_bluesky_cannot_be_read_the_page_says_why(
    client, server, verification, fault, message, django_capture_on_commit_callbacks
):
    server.faults["app.bsky.actor.getProfile"] = [fault]

    response = check(client, verification, django_capture_on_commit_callbacks)

    assert message in response.content.decode()
    verification.refresh_from_db()
    assert message in verification.failure
    assert not Interaction.objects.exists()


def test_a_backfill_that_fails_leaves_the_handle_verified_and_writes_nothing_half(
    client, user, server, verification, django_capture_on_commit_callbacks
):
    server.world.profiles[ALICE]["description"] = verification.code
    server.faults["app.bsky.feed.getQuotes"] = [Fault(503, b"")]  # after the likes were read

    check(client, verification, django_capture_on_commit_callbacks)

    handle = Handle.objects.get(external_id=ALICE)
    assert handle.person.owner == user
    assert not Interaction.objects.exists()
    assert Handle.objects.count() == 1  # none of the likers
    assert any(call.startswith("app.bsky.feed.getLikes") for call in server.calls)
