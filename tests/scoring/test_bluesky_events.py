"""One Jetstream frame → what it means (scoring.ingest.bluesky.events), without a database."""

import json

import pytest

from scoring.ingest.bluesky import events
from scoring.ingest.bluesky.events import Create, Delete, EventError, Identity, Passed, Target
from scoring.ingest.bulk_contract import micros_to_datetime
from scoring.models import InteractionKind
from tests.scoring.bluesky_events import (
    LIKE,
    START_US,
    account,
    commit,
    delete,
    did,
    engage,
    follow,
    identity,
    post,
)

T = START_US


def read(event: dict) -> events.Event:
    return events.read(json.dumps(event).encode())


def test_a_quote_with_media_is_a_share_of_the_quoted_post():
    event = post("cy", T, "p3", "look")
    event["commit"]["record"]["embed"] = {
        "$type": "app.bsky.embed.recordWithMedia",
        "record": {"record": {"uri": f"at://{did('ana')}/app.bsky.feed.post/p1", "cid": "x"}},
        "media": {"$type": "app.bsky.embed.images", "images": []},
    }

    created = read(event)

    assert isinstance(created, Create)
    assert created.targets == [Target(did("ana"), InteractionKind.SHARE, "p1")]


def test_a_like_of_something_else_than_a_post_changes_nothing():
    event = engage(LIKE, "bo", T, "l1", ("ana", "p1"))
    event["commit"]["record"]["subject"]["uri"] = f"at://{did('ana')}/app.bsky.feed.generator/f"

    assert read(event) == Passed(T)


@pytest.mark.parametrize(
    "event",
    [
        account("ana", T, active=False),
        commit("ana", T, "app.bsky.feed.post", "p1", {"text": "edited"}, op="update"),
        follow("ana", T, "f1", "ana"),
    ],
    ids=["account", "update", "self-follow"],
)
def test_events_that_change_nothing_pass(event):
    assert read(event) == Passed(T)


def test_deletes_and_identities_name_their_records_and_handles():
    assert read(delete("bo", T, LIKE, "l1")) == Delete(T, events.Key(did("bo"), LIKE, "l1"))
    assert read(identity("bo", T, "Bo.Example.com")) == Identity(T, did("bo"), "bo.example.com")


def test_a_created_at_without_a_zone_falls_back_to_when_the_stream_saw_it():
    event = post("ana", T, "p1")
    event["commit"]["record"]["createdAt"] = "2024-09-09T19:46:02"

    created = read(event)

    assert isinstance(created, Create)
    assert created.occurred_at == micros_to_datetime(T)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda e: e.update(kind="firehose"), "is not commit, identity or account"),
        (lambda e: e["commit"].update(operation="explode"), "operation 'explode' is unknown"),
        (lambda e: e["commit"].update(record=[]), "record is not an object"),
        (lambda e: e["commit"]["record"].update(text=7), "missing text"),
        (lambda e: e["commit"]["record"].update(reply={"parent": 1}), "parent is not an object"),
        (lambda e: e["commit"]["record"].update(facets={}), "facets is not a list"),
        (lambda e: e.update(time_us=True), "time_us is not a whole number"),
        (lambda e: e.update(did="did:PLC:x"), "did is not a DID"),
    ],
)
def test_malformed_events_are_refused_with_a_reason(change, reason):
    event = post("ana", T, "p1")
    change(event)

    with pytest.raises(EventError, match=reason):
        read(event)


def test_an_identity_with_a_handle_that_is_no_domain_is_refused():
    with pytest.raises(EventError, match="handle is not a domain name") as refused:
        read(identity("bo", T, "bo bo.com"))

    assert refused.value.time_us == T
