"""The Bluesky batch writer's one-statement reads and writes (scoring.ingest.bluesky.queries):
keys travel as one JSON parameter, so keys that JSON must escape come back as they went."""

from collections import Counter
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from scoring.ingest.bluesky import queries
from scoring.ingest.bluesky.events import FOLLOW, LIKE, POST, Key
from scoring.models import BlueskyRecord, Handle, Interaction, InteractionKind, Network, Person
from scoring.partitions import ensure_interaction_partitions, month_start

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


def test_records_are_taken_matched_on_all_three_parts_and_kept_no_longer():
    keep("did:plc:a", POST, "3k1")
    keep(ODD_DID, LIKE, ODD_RKEY)
    keep("did:plc:a", LIKE, "3k2")
    asked = [
        Key("did:plc:a", POST, "3k1"),
        Key("did:plc:a", LIKE, "3k1"),  # another collection
        Key("did:plc:b", POST, "3k1"),  # another author
        Key(ODD_DID, LIKE, ODD_RKEY),
        Key("did:plc:a", POST, "\u00e9\U0001f600"),  # nothing like it kept
    ]
    taken = queries.take_records(asked)
    assert sorted(taken) == [
        queries.KeptRecord("did:plc:a", POST, "3k1", AT, [["did:plc:a", 1]], ""),
        queries.KeptRecord(ODD_DID, LIKE, ODD_RKEY, AT, [[ODD_DID, 1]], ""),
    ]
    assert list(BlueskyRecord.objects.values_list("rkey", flat=True)) == ["3k2"]
    assert queries.take_records(asked) == queries.take_records([]) == []


def test_records_are_kept_once_and_those_kept_already_are_named():
    keep("did:plc:a", LIKE, "3k1")
    record = queries.KeptRecord(ODD_DID, LIKE, ODD_RKEY, AT, [["did:plc:\u00e9", 2]], "")
    seen = queries.KeptRecord("did:plc:a", LIKE, "3k1", AT, [["did:plc:other", 2]], "")
    follow = queries.KeptRecord("did:plc:a", FOLLOW, "3k1", AT, [], "did:plc:b")

    assert queries.keep_records([record, seen, follow]) == {Key("did:plc:a", LIKE, "3k1")}
    assert queries.keep_records([record]) == {Key(ODD_DID, LIKE, ODD_RKEY)}
    assert queries.keep_records([]) == set()
    assert sorted(queries.take_records([Key(ODD_DID, LIKE, ODD_RKEY), Key(*seen[:3])])) == [
        queries.KeptRecord("did:plc:a", LIKE, "3k1", AT, [["did:plc:a", 1]], ""),
        record,
    ]


def test_a_batch_of_records_none_kept_yet_goes_in_whole_and_one_kept_already_alone():
    fresh = [
        queries.KeptRecord("did:plc:a", LIKE, "3k1", AT, [["did:plc:b", 1]], ""),
        queries.KeptRecord(ODD_DID, FOLLOW, ODD_RKEY, AT, [], "did:plc:\u00e9"),
    ]
    assert queries.keep_records(fresh) == set()
    replayed = [*fresh, queries.KeptRecord("did:plc:c", POST, "3k1", AT, [], "")]
    assert queries.keep_records(replayed) == {Key(*r[:3]) for r in fresh}
    assert sorted(queries.take_records([Key(*r[:3]) for r in replayed])) == sorted(replayed)


def test_interactions_are_deleted_by_their_whole_key_in_any_month():
    a, b = handle("did:plc:a", 0), handle("did:plc:b", 0)
    earlier = datetime(2026, 10, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    ensure_interaction_partitions([month_start(AT), month_start(earlier)], today=AT.date())
    for at in (AT, earlier):
        for kind in (InteractionKind.LIKE, InteractionKind.SHARE):
            Interaction.objects.create(actor=a, target=b, kind=kind, occurred_at=at)
    Interaction.objects.create(actor=b, target=a, kind=InteractionKind.LIKE, occurred_at=AT)

    queries.delete_interactions(
        [(AT, a.pk, b.pk, InteractionKind.LIKE), (earlier, a.pk, b.pk, InteractionKind.SHARE)]
    )
    queries.delete_interactions([])

    left = Interaction.objects.values_list("occurred_at", "actor_id", "kind")
    assert sorted(left) == [
        (earlier, a.pk, InteractionKind.LIKE),
        (AT, a.pk, InteractionKind.SHARE),
        (AT, b.pk, InteractionKind.LIKE),
    ]


def test_follower_counts_move_by_each_count_and_never_below_zero():
    popular, odd, few = handle("did:plc:popular", 10), handle(ODD_DID, 0), handle("did:plc:f", 1)
    queries.count_followers(Counter({"did:plc:popular": 3, ODD_DID: 2, "did:plc:f": 1}), sign=1)
    queries.count_followers(Counter({"did:plc:f": 5, "did:plc:unknown": 1}), sign=-1)
    queries.count_followers(Counter(), sign=1)
    counts = {h.external_id: h.followers_count for h in Handle.objects.all()}
    assert counts == {popular.external_id: 13, odd.external_id: 2, few.external_id: 0}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_only_the_batch_s_own_commit_does_not_wait_for_the_disk():
    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    with transaction.atomic():
        queries.commit_without_waiting_for_the_disk()
        assert setting() == "off"
    assert setting() == "on"
