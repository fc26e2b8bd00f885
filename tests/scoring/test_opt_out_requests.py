"""Opting out without a handle one can verify here: the person asks, the handle is hidden at
once, staff decide from a queue in the admin before the answer is due."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import Notification
from scoring.models import (
    DoNotTrack,
    Handle,
    OptOutRequest,
    OptOutRequestStatus,
    Person,
    ScoreSnapshot,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/scoring/optoutrequest/"


def scored_twitter(username, *, owner=None):
    person = Person.objects.create(display_name=username.title(), score=42.0, owner=owner)
    ScoreSnapshot.objects.create(
        person=person, day=timezone.localdate(), model_version="v1", score=42.0, reach=1.0,
        amplification=0.5, network=1.0, percentile=80.0,
    )  # fmt: skip
    return Handle.objects.create(
        person=person, network="twitter", external_id=f"{username}-id", username=username
    )


def ask(client, handle="twitter:@alice", message="My bio links to alice.example."):
    return client.post("/settings/opt-out/request/", {"handle": handle, "message": message})


def errors(response):
    return response.content.decode().split('class="errorlist')[1:]


def test_someone_without_a_profile_can_ask_and_the_handle_is_hidden_at_once(client, user):
    handle = scored_twitter("alice")
    client.force_login(user)
    page = client.get("/settings/opt-out/").content.decode()
    assert "You have no verified profile yet" in page
    assert "Verify one of your handles first" not in page

    response = ask(client)
    shown = client.get(response.url).content.decode()

    assert response.status_code == 302
    filed = OptOutRequest.objects.get()
    assert (filed.user, filed.handle, filed.status) == (user, handle, OptOutRequestStatus.PENDING)
    assert filed.answer_by - timezone.now() > timedelta(days=29)
    public_id = handle.person.public_id
    assert client.get(f"/p/{public_id}/").status_code == 404
    assert "Nobody found" in client.get("/search/?q=alice").content.decode()
    assert ScoreSnapshot.objects.filter(person=handle.person).exists()  # kept until staff decide
    assert "twitter:@alice no longer shows on Sway" in shown
    assert "Waiting for review" in shown


def test_a_handle_known_only_by_its_id_can_be_named(client, user):
    handle = Handle.objects.create(
        person=Person.objects.create(), network="twitter", external_id="88", username=""
    )
    client.force_login(user)

    assert ask(client, handle="twitter:#88").status_code == 302
    assert OptOutRequest.objects.get().handle == handle


@pytest.mark.parametrize(
    ("handle", "message", "said"),
    [
        ("twitter:@nobody", "mine", "Sway has not seen twitter:@nobody yet"),
        ("alice", "mine", "Give the whole handle with its network, as in twitter:@alice"),
        ("twitter:@alice", "", "This field is required."),
        ("twitter:@alice", "mine\x00", "Null characters are not allowed."),
        ("twitter:@al\x00ice", "mine", "Null characters are not allowed."),
        ("twitter:@alice", "x" * 2001, "at most 2000 characters"),
        ("twitter:@" + "a" * 400, "mine", "at most 300 characters"),
    ],
)
def test_bad_requests_are_refused_saying_why_and_change_nothing(
    client, user, handle, message, said
):
    scored_twitter("alice")
    client.force_login(user)

    response = ask(client, handle=handle, message=message)

    assert response.status_code == 400
    assert said in response.content.decode()
    assert not OptOutRequest.objects.exists()
    assert not Person.objects.filter(opted_out=True).exists()


def test_handles_that_are_verified_waiting_or_gone_are_refused(client, user):
    someone_elses = scored_twitter("bob", owner=UserFactory())
    mine = scored_twitter("carol", owner=user)
    scored_twitter("alice")
    client.force_login(user)
    assert ask(client).status_code == 302

    said = {
        name: errors(ask(client, handle=f"twitter:@{name}"))[0]
        for name in ("alice", "bob", "carol")
    }

    assert "hidden while staff review a request to opt it out already" in said["alice"]
    assert "on a profile that someone verified" in said["bob"]
    assert "is verified as yours: opt out of Sway directly" in said["carol"]
    assert not Person.objects.get(pk=someone_elses.person_id).opted_out
    assert not Person.objects.get(pk=mine.person_id).opted_out


def test_one_account_cannot_hide_a_crowd(client, user):
    for name in ("ann", "ben", "cat", "dan"):
        scored_twitter(name)
    client.force_login(user)
    for name in ("ann", "ben", "cat"):
        assert ask(client, handle=f"twitter:@{name}").status_code == 302

    refused = ask(client, handle="twitter:@dan")

    assert "You have 3 requests waiting for review" in errors(refused)[0]
    assert not Handle.objects.get(username="dan").person.opted_out


@pytest.fixture
def staff(client):
    return UserFactory(is_staff=True, is_superuser=True)


def test_staff_see_the_queue_most_urgent_first_with_overdue_ones_marked(client, user, staff):
    for name in ("ann", "ben"):
        scored_twitter(name)
    client.force_login(user)
    ask(client, handle="twitter:@ann")
    ask(client, handle="twitter:@ben")
    OptOutRequest.objects.filter(handle__username="ben").update(
        answer_by=timezone.now() - timedelta(days=1)
    )
    client.force_login(staff)

    queue = client.get(QUEUE).content.decode()

    assert queue.index("twitter:@ben") < queue.index("twitter:@ann")
    assert "(overdue)" in queue
    assert client.get(f"{QUEUE}add/").status_code == 403


def filed_for_alice(client, user):
    handle = scored_twitter("alice")
    client.force_login(user)
    ask(client)
    return handle, OptOutRequest.objects.get()


def act(client, action, row, **data):
    return client.post(QUEUE, {"action": action, "_selected_action": [row.pk], **data}, follow=True)


def test_approving_opts_the_handle_out_for_good_and_tells_the_requester(
    client, user, staff, django_capture_on_commit_callbacks
):
    handle, filed = filed_for_alice(client, user)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        act(client, "approve", filed)

    filed.refresh_from_db()
    assert (filed.status, filed.decided_by) == (OptOutRequestStatus.APPROVED, staff)
    assert DoNotTrack.objects.filter(network="twitter", external_id="alice-id").exists()
    assert not ScoreSnapshot.objects.filter(person=handle.person).exists()
    told = Notification.objects.get(user=user)
    assert told.subject == "twitter:@alice is opted out of Sway"
    assert "decided already" in str(act(client, "approve", filed).content)


def test_turning_down_asks_why_shows_the_handle_again_and_tells_the_requester(
    client, user, staff, django_capture_on_commit_callbacks
):
    handle, filed = filed_for_alice(client, user)
    client.force_login(staff)

    asked = act(client, "reject", filed).content.decode()
    assert "Turn down requests" in asked
    unexplained = act(client, "reject", filed, apply="1", note="").content.decode()
    assert "This field is required." in unexplained
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "reject", filed, apply="1", note="The bio names someone else.")

    filed.refresh_from_db()
    assert filed.status == OptOutRequestStatus.REJECTED
    assert not Person.objects.get(pk=handle.person_id).opted_out
    assert client.get(f"/p/{handle.person.public_id}/").status_code == 200
    told = Notification.objects.get(user=user)
    assert "The bio names someone else." in told.body
    assert not DoNotTrack.objects.exists()
