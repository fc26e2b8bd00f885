"""`manage.py stream_bluesky` against a local Jetstream (tests/jetstream_server.py): what each
kind of event writes, deletions undoing it, the do-not-track list, replays, lost connections
and hostile frames."""

import gc
import io
import json
import logging
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from scoring.ingest.bluesky import events
from scoring.ingest.bluesky.batch import BatchWriter
from scoring.ingest.bluesky.events import read
from scoring.ingest.bluesky.stream import COLLECT_AFTER_OBJECTS, REWIND_US
from scoring.ingest.bulk_contract import micros_to_datetime
from scoring.models import (
    BlueskyRecord,
    DoNotTrack,
    Handle,
    Interaction,
    InteractionKind,
    Network,
    Post,
    PostKind,
    StreamCursor,
)
from tests.jetstream_server import Frame, Replay, replaying
from tests.scoring.bluesky_events import (
    FOLLOW,
    LIKE,
    POST,
    REPOST,
    START_US,
    account,
    delete,
    did,
    engage,
    follow,
    frames,
    identity,
    post,
)

pytestmark = pytest.mark.django_db

T = START_US
MS = 1000  # createdAt counts milliseconds
LIKED, SHARED, REPLIED, MENTIONED = (InteractionKind.LIKE, InteractionKind.SHARE,
                                     InteractionKind.REPLY, InteractionKind.MENTION)  # fmt: skip


def stream(replay: Replay, *options: str) -> str:
    """Consume the replay until it goes quiet; what the command reported."""
    output = io.StringIO()
    with replaying(replay):
        call_command(
            "stream_bluesky", "--url", replay.url, "--flush-seconds", "0.05",
            "--exit-when-idle", "0.5", *options, stdout=output,
        )  # fmt: skip
    return output.getvalue()


def run(*events: dict, options: tuple[str, ...] = ()) -> str:
    return stream(Replay(frames(*events)), *options)


def interactions() -> list[tuple[str, str, int, str]]:
    """(actor, target, kind, post's record key or "") of every stored interaction, sorted."""
    rows = Interaction.objects.values_list("actor_id", "target_id", "kind", "post_id")
    dids = dict(Handle.objects.values_list("id", "external_id"))
    posts = dict(Post.objects.values_list("id", "external_id"))
    return sorted(
        (dids[a].removeprefix("did:plc:"), dids[t].removeprefix("did:plc:"), k, posts.get(p) or "")
        for a, t, k, p in rows
    )


def expected(*rows: tuple[str, str, int, str | None]) -> list[tuple[str, str, int, str]]:
    return sorted((actor, target, kind, post or "") for actor, target, kind, post in rows)


def followers(name: str) -> int:
    return Handle.objects.get(network=Network.BLUESKY, external_id=did(name)).followers_count


def cursor() -> int:
    return StreamCursor.objects.get(pk="bluesky").time_us


def test_posts_likes_reposts_replies_quotes_mentions_and_follows_are_written():
    run(
        post("ana", T + 1 * MS, "p1", "Launch day #rust"),
        engage(LIKE, "bo", T + 2 * MS, "l1", ("ana", "p1")),
        engage(REPOST, "cy", T + 3 * MS, "r1", ("ana", "p1")),
        post("bo", T + 4 * MS, "p2", "congrats", reply_to=("ana", "p1")),
        post("cy", T + 5 * MS, "p3", "look", quote=("ana", "p1"), mentions=("bo",)),
        engage(LIKE, "dee", T + 6 * MS, "l2", ("ana", "unseen")),  # a post never streamed
        follow("bo", T + 7 * MS, "f1", "ana"),
        follow("cy", T + 8 * MS, "f2", "ana"),
        engage(LIKE, "ana", T + 9 * MS, "l3", ("ana", "p1")),  # one's own: never counts
        account("ana", T + 10 * MS),
    )

    assert interactions() == expected(
        ("bo", "ana", LIKED, "p1"),
        ("cy", "ana", SHARED, "p1"),
        ("bo", "ana", REPLIED, "p1"),
        ("cy", "ana", SHARED, "p1"),
        ("cy", "bo", MENTIONED, None),
        ("dee", "ana", LIKED, None),
    )
    assert set(Post.objects.values_list("external_id", "kind", "text")) == {
        ("p1", PostKind.ORIGINAL, "Launch day #rust"),
        ("p2", PostKind.REPLY, "congrats"),
        ("p3", PostKind.ORIGINAL, "look"),
    }
    launch = Post.objects.get(external_id="p1")
    assert launch.url == f"https://bsky.app/profile/{did('ana')}/post/p1"
    assert launch.published_at == micros_to_datetime(T + 1 * MS)
    assert followers("ana") == 2
    assert cursor() == T + 10 * MS
    assert BlueskyRecord.objects.count() == 8  # every create but one's own like


def test_a_reply_that_quotes_and_mentions_its_parent_makes_one_interaction_of_each_kind():
    run(
        post("ana", T + 1 * MS, "p1"),
        post("cy", T + 2 * MS, "p2", reply_to=("ana", "p1"), quote=("ana", "p1"),
             mentions=("ana", "ana")),
    )  # fmt: skip

    assert interactions() == expected(
        ("cy", "ana", REPLIED, "p1"), ("cy", "ana", SHARED, "p1"), ("cy", "ana", MENTIONED, None)
    )


def test_identity_events_name_handles_and_move_a_handle_to_its_new_owner():
    run(
        identity("ana", T + 1 * MS, "ana.bsky.social"),
        engage(LIKE, "bo", T + 2 * MS, "l1", ("ana", "p0")),
        identity("bo", T + 3 * MS, "Bo.Example.COM"),
    )
    run(
        identity("cy", T + 4 * MS, "ana.bsky.social"),  # ana's old handle, now cy's
        identity("ana", T + 5 * MS, "ana.example.org"),
        identity("bo", T + 6 * MS, "handle.invalid"),
    )

    names = dict(Handle.objects.values_list("external_id", "username"))
    assert names == {did("ana"): "ana.example.org", did("bo"): "", did("cy"): "ana.bsky.social"}


def test_a_handle_moved_within_one_batch_goes_to_its_last_owner():
    run(
        identity("ana", T + 1 * MS, "x.bsky.social"),
        identity("bo", T + 2 * MS, "x.bsky.social"),
        identity("ana", T + 3 * MS, "y.bsky.social"),
    )

    names = dict(Handle.objects.values_list("external_id", "username"))
    assert names == {did("ana"): "y.bsky.social", did("bo"): "x.bsky.social"}


def test_an_unlike_an_unrepost_an_unfollow_and_a_deleted_post_remove_what_they_made():
    run(
        post("ana", T + 1 * MS, "p1", "hello"),
        engage(LIKE, "bo", T + 2 * MS, "l1", ("ana", "p1")),
        engage(REPOST, "bo", T + 3 * MS, "r1", ("ana", "p1")),
        post("cy", T + 4 * MS, "p2", "hi", reply_to=("ana", "p1"), mentions=("bo",)),
        follow("bo", T + 5 * MS, "f1", "ana"),
        follow("cy", T + 6 * MS, "f2", "ana"),
        engage(LIKE, "dee", T + 7 * MS, "l2", ("ana", "p1")),
    )
    run(
        delete("bo", T + 8 * MS, LIKE, "l1"),
        delete("bo", T + 9 * MS, REPOST, "r1"),
        delete("cy", T + 10 * MS, POST, "p2"),
        delete("bo", T + 11 * MS, FOLLOW, "f1"),
        delete("eve", T + 12 * MS, LIKE, "never-seen"),
    )

    assert interactions() == expected(("dee", "ana", LIKED, "p1"))
    assert set(Post.objects.values_list("external_id", flat=True)) == {"p1"}
    assert followers("ana") == 1
    assert set(BlueskyRecord.objects.values_list("rkey", flat=True)) == {"p1", "f2", "l2"}


def test_a_record_made_and_deleted_in_one_batch_leaves_nothing():
    run(
        post("ana", T + 1 * MS, "p1"),
        engage(LIKE, "bo", T + 2 * MS, "l1", ("ana", "p1")),
        follow("bo", T + 3 * MS, "f1", "ana"),
        delete("bo", T + 4 * MS, LIKE, "l1"),
        delete("bo", T + 5 * MS, FOLLOW, "f1"),
        engage(LIKE, "bo", T + 6 * MS, "l1", ("ana", "p1")),  # the same key, liked again
    )

    assert interactions() == expected(("bo", "ana", LIKED, "p1"))
    assert followers("ana") == 0


def test_a_deleted_post_takes_its_interactions_but_leaves_engagement_others_gave_it():
    run(
        post("ana", T + 1 * MS, "p1"),
        post("bo", T + 2 * MS, "p2", quote=("ana", "p1")),
        engage(LIKE, "cy", T + 3 * MS, "l1", ("bo", "p2")),
        delete("bo", T + 4 * MS, POST, "p2"),
        options=("--batch-size", "1"),
    )

    assert {(a, t, k) for a, t, k, _ in interactions()} == {("cy", "bo", LIKED)}
    assert not Post.objects.filter(external_id="p2").exists()


def test_people_on_the_do_not_track_list_are_dropped_before_anything_is_written():
    DoNotTrack.objects.create(network=Network.BLUESKY, external_id=did("gone"))

    run(
        post("gone", T + 1 * MS, "p1", "mine"),
        post("ana", T + 2 * MS, "p2", "hi", reply_to=("gone", "p1"), mentions=("bo",)),
        engage(LIKE, "bo", T + 3 * MS, "l1", ("gone", "p1")),
        engage(LIKE, "gone", T + 4 * MS, "l2", ("ana", "p2")),
        follow("ana", T + 5 * MS, "f1", "gone"),
        follow("gone", T + 6 * MS, "f2", "ana"),
        identity("gone", T + 7 * MS, "gone.bsky.social"),
    )

    assert interactions() == expected(("ana", "bo", MENTIONED, None))
    assert set(Post.objects.values_list("external_id", flat=True)) == {"p2"}
    assert not Handle.objects.filter(external_id=did("gone")).exists()
    assert list(BlueskyRecord.objects.values_list("did", "rkey")) == [(did("ana"), "p2")]
    assert followers("ana") == 0
    assert cursor() == T + 7 * MS


def test_a_replay_from_an_earlier_cursor_or_another_host_writes_nothing_twice():
    events = frames(
        post("ana", T + 1 * MS, "p1"),
        engage(LIKE, "bo", T + 2 * MS, "l1", ("ana", "p1")),
        follow("bo", T + 3 * MS, "f1", "ana"),
    )
    stream(Replay(events))
    before = (interactions(), followers("ana"), BlueskyRecord.objects.count())

    StreamCursor.objects.filter(pk="bluesky").update(time_us=T)  # as if another host's clock
    replay = Replay(events)
    report = stream(replay)

    assert (interactions(), followers("ana"), BlueskyRecord.objects.count()) == before
    assert Interaction.objects.count() == 1
    assert replay.cursors() == [T - REWIND_US]
    assert "events 3, records created 0, deleted 0, skipped (do not track) 0, rejected 0" in report


def test_the_collector_runs_less_often_while_it_streams_and_as_before_after(monkeypatch):
    seen = []

    def read_noting_the_collector(frame: bytes) -> events.Event:
        seen.append(gc.get_threshold())
        return read(frame)

    monkeypatch.setattr(events, "read", read_noting_the_collector)
    before = gc.get_threshold()

    run(post("ana", T + 1 * MS, "p1"))

    assert seen == [(COLLECT_AFTER_OBJECTS, *before[1:])]
    assert gc.get_threshold() == before


def test_resumes_from_a_little_before_its_cursor_and_leaves_out_what_it_wrote():
    run(post("ana", T + 1 * MS, "p1"))
    replay = Replay(frames(post("ana", T + 1 * MS, "p1"), post("ana", T + 2 * MS, "p2")))

    report = stream(replay)

    assert replay.cursors() == [T + 1 * MS - REWIND_US]
    assert "wantedCollections=app.bsky.feed.post" in replay.asked[0]
    assert Post.objects.count() == 2
    assert report.startswith("events 1,")


def test_reconnects_after_the_server_drops_the_connection_and_loses_nothing():
    replay = Replay(frames(*(post("ana", T + n * MS, f"p{n}") for n in range(1, 11))), drops=[3, 4])

    report = stream(replay, "--batch-size", "2")

    assert Post.objects.count() == 10
    assert len(replay.asked) == 3
    assert replay.cursors()[0] is None
    assert replay.cursors()[1] <= T + 3 * MS
    assert cursor() == T + 10 * MS
    assert "events 10," in report


def test_a_batch_holds_no_more_events_than_its_size_however_many_one_read_brings(monkeypatch):
    sizes: list[int] = []
    write = BatchWriter.write

    def counted(self, batch, time_us):
        sizes.append(len(batch))
        return write(self, batch, time_us)

    monkeypatch.setattr(BatchWriter, "write", counted)
    run(*(post("ana", T + n * MS, f"p{n}") for n in range(1, 8)), options=("--batch-size", "3"))

    assert max(sizes) <= 3
    assert sum(sizes) == 7
    assert Post.objects.count() == 7


HOSTILE = [
    b"{not json",
    b'{"did": "did:plc:x", "time_us": 1, "kind": "commit"}',  # 1970
    b'{"did": "did:plc:x", "time_us": 1e30, "kind": "account"}',
    b'{"did": "did:plc:x", "time_us": 123456789012345678901234567890, "kind": "account"}',
    b"[" * 5000 + b"]" * 5000,
    b'"just a string"',
    b"\xff\xfe not utf-8",
    b'{"did": "did:plc:x", "time_us": 5, "text": "\\ud800"}',
    b"x" * (10 << 20),
]


def hostile_at(time_us: int) -> list[dict]:
    """Events in the right shape with wrong values; each is skipped, the stream goes on."""
    nul = post("ana", time_us, "n1", "a\x00b")
    long_did = post("ana", time_us, "n2")
    long_did["did"] = "did:plc:" + "x" * 200
    bad_facets = post("ana", time_us, "n3")
    bad_facets["commit"]["record"]["facets"] = [{"features": "no"}]
    unknown = post("ana", time_us, "n4")
    unknown["commit"]["collection"] = "app.bsky.feed.threadgate"
    bad_key = post("ana", time_us, "../..")
    long_text = post("ana", time_us, "n5", "x" * 5000)
    bad_subject = engage(LIKE, "bo", time_us, "l9", ("ana", "p1"))
    bad_subject["commit"]["record"]["subject"]["uri"] = "https://example.com/x"
    return [nul, long_did, bad_facets, unknown, bad_key, long_text, bad_subject]


def test_hostile_frames_are_skipped_with_a_reason_and_the_stream_goes_on(caplog):
    first = post("ana", T + 1 * MS, "p1", "first")
    last = engage(LIKE, "bo", T + 20 * MS, "l1", ("ana", "p1"))
    bad = [Frame(T + 2 * MS, payload) for payload in HOSTILE]
    bad += [Frame(T + 2 * MS, json.dumps(event)) for event in hostile_at(T + 2 * MS)]

    with caplog.at_level(logging.WARNING, logger="scoring.ingest.bluesky.stream"):
        # time to receive the 10 MB frame, however busy the machine
        report = stream(Replay([*frames(first), *bad, *frames(last)]), "--exit-when-idle", "5")

    assert interactions() == expected(("bo", "ana", LIKED, "p1"))
    assert list(Post.objects.values_list("external_id", flat=True)) == ["p1"]
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert len(skipped) == len(bad)
    assert any("10,485,760 bytes" in message for message in skipped)
    assert any("NUL" in message for message in skipped)
    assert any("not one Sway reads" in message for message in skipped)
    assert cursor() == T + 20 * MS
    assert f"rejected {len(bad)}, connections 1" in report  # none closed the connection


def test_an_event_from_the_future_does_not_move_the_cursor_past_now():
    thirty_years_on = post("ana", T + 10**15, "p9")

    run(post("ana", T + 1 * MS, "p1"), thirty_years_on)

    assert cursor() == T + 1 * MS
    assert Post.objects.count() == 1


def test_a_created_at_far_from_when_the_stream_saw_it_is_not_believed():
    event = post("ana", T + 1 * MS, "p1")
    event["commit"]["record"]["createdAt"] = "2199-01-01T00:00:00Z"

    run(event)

    assert Post.objects.get().published_at == micros_to_datetime(T + 1 * MS)


def test_healthz_reports_the_lag_behind_the_stream(client):
    assert "streams" not in client.get("/healthz").json()

    run(post("ana", T + 1 * MS, "p1"))

    report = client.get("/healthz").json()["streams"]["bluesky"]
    lag = timedelta(seconds=report["lag_seconds"])
    assert timedelta(hours=23) < lag < timedelta(hours=25)  # START_US is a day ago
    assert report["written_up_to"] == micros_to_datetime(T + 1 * MS).isoformat()


@pytest.mark.parametrize("url", ["https://jetstream.example/subscribe", "javascript:alert(1)", ""])
def test_refuses_an_address_that_is_no_websocket(url):
    with pytest.raises(CommandError, match="ws:// or wss://"):
        call_command("stream_bluesky", "--url", url)

    assert not StreamCursor.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a constraint added to a table")
def test_an_event_the_database_refuses_is_left_out_and_the_rest_of_its_batch_written(caplog):
    with connection.cursor() as sql:  # a rule of the database's own that no code knows
        sql.execute("ALTER TABLE scoring_post ADD CONSTRAINT no_poison CHECK (text <> 'poison')")

    with caplog.at_level(logging.WARNING, logger="scoring.ingest.bluesky.stream"):
        report = run(
            post("ana", T + 1 * MS, "p1", "fine"),
            post("ana", T + 2 * MS, "p2", "poison"),
            engage(LIKE, "bo", T + 3 * MS, "l1", ("ana", "p1")),
        )

    assert list(Post.objects.values_list("external_id", flat=True)) == ["p1"]
    assert interactions() == expected(("bo", "ana", LIKED, "p1"))
    assert cursor() == T + 3 * MS
    assert "rejected 1," in report
    messages = [record.getMessage() for record in caplog.records]
    assert any(f"skipped a Jetstream event at {T + 2 * MS}" in m for m in messages)


def test_a_host_that_does_not_answer_is_passed_over_for_the_next(caplog):
    replay = Replay(frames(post("ana", T + 1 * MS, "p1")))

    output = io.StringIO()
    with (
        replaying(replay),
        caplog.at_level(logging.WARNING, logger="scoring.ingest.bluesky.stream"),
    ):
        call_command(
            "stream_bluesky", "--url", "ws://127.0.0.1:9/subscribe", "--url", replay.url,
            "--exit-when-idle", "0.5", stdout=output,
        )  # fmt: skip
    report = output.getvalue()

    assert Post.objects.count() == 1
    assert "connections 1" in report
    assert any("Jetstream at 127.0.0.1:9" in r.getMessage() for r in caplog.records)
