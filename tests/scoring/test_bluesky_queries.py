"""The Bluesky batch writer's one-statement reads and updates (scoring.ingest.bluesky.queries):
keys travel as one JSON parameter, so keys that JSON must escape come back as they went."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from scoring.ingest.bluesky import queries
from scoring.ingest.bluesky.events import LIKE, POST, Key
from scoring.models import BlueskyRecord, Handle, Network, Person

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 1, tzinfo=UTC)
# What identifiers.did and record_key let through, and JSON escapes or quotes matter to.
ODD_DID = "did:web:example.com%3A8080:x~y"
ODD_RKEY = "a.b_c:d~e-f"


def keep(did: str, collection: str, rkey: str, followed: str = "") -> None:
    BlueskyRecord.objects.create(
        did=did, collection=collection, rkey=rkey, occurred_at=AT, interactions=[[did, 1]],
        followed=followed,
    )  # fmt: skip


def handle(did: str, followers: int) -> Handle:
    return Handle.objects.create(
        person=Person.objects.create(), network=Network.BLUESKY, external_id=did,
        followers_count=followers,
    )  # fmt: skip


def test_records_are_the_kept_ones_matched_on_all_three_parts():
    keep("did:plc:a", POST, "3k1")
    keep(ODD_DID, LIKE, ODD_RKEY)
    asked = [
        Key("did:plc:a", POST, "3k1"),
        Key("did:plc:a", LIKE, "3k1"),  # another collection
        Key("did:plc:b", POST, "3k1"),  # another author
        Key(ODD_DID, LIKE, ODD_RKEY),
        Key("did:plc:a", POST, "\u00e9\U0001f600"),  # nothing like it kept
    ]
    found = queries.records(asked)
    assert sorted((r.did, r.collection, r.rkey) for r in found) == [
        ("did:plc:a", POST, "3k1"),
        (ODD_DID, LIKE, ODD_RKEY),
    ]
    assert {r.occurred_at for r in found} == {AT}
    assert queries.records([]) == []


def test_follower_counts_move_by_each_count_and_never_below_zero():
    popular, odd, few = handle("did:plc:popular", 10), handle(ODD_DID, 0), handle("did:plc:f", 1)
    queries.count_followers(Counter({"did:plc:popular": 3, ODD_DID: 2, "did:plc:f": 1}), sign=1)
    queries.count_followers(Counter({"did:plc:f": 5, "did:plc:unknown": 1}), sign=-1)
    queries.count_followers(Counter(), sign=1)
    counts = {h.external_id: h.followers_count for h in Handle.objects.all()}
    assert counts == {popular.external_id: 13, odd.external_id: 2, few.external_id: 0}
