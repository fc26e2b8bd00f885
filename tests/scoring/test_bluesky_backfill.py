"""A Bluesky account's last 90 days read through the AppView (a local server speaking its XRPC
shapes): `import_signals --format bluesky`, its overlap with the stream, and the failures."""

import io
import json
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scoring.ingest.bluesky import appview
from scoring.ingest.bluesky import events as jetstream
from scoring.ingest.bluesky.batch import BatchWriter
from scoring.models import DoNotTrack, Handle, Interaction, InteractionKind, Post
from tests.appview_server import Fault, World, serving
from tests.scoring import bluesky_events as frames
from tests.scoring.bluesky_events import LIKE, REPOST, created_at, did
from tests.scoring.bluesky_world import (
    ALICE,
    BOB,
    BOB_LIKE_US,
    CAROL,
    CAROL_LIKE_US,
    DAVE,
    ERIN,
    NOW_US,
    P1_US,
    P2_US,
    QUOTE_US,
    REPLY,
    REPLY_US,
    REPOST_US,
    SHARE,
    alice_world,
    indexed,
    moment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings):
    with serving(alice_world()) as running:
        settings.BLUESKY_APPVIEW_URL = running.url
        yield running


def backfill(*options: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_signals", "--format", "bluesky", *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def interactions():
    rows = Interaction.objects.values_list(
        "actor__external_id", "target__external_id", "kind", "occurred_at", "post__external_id"
    )
    return sorted(rows)


def written():
    return {
        "handles": sorted(
            Handle.objects.values_list("external_id", "username", "display_name", "followers_count")
        ),
        "posts": sorted(Post.objects.values_list("handle__external_id", "external_id", "kind")),
        "interactions": interactions(),
    }


EXPECTED_INTERACTIONS = sorted([
    (BOB, ALICE, InteractionKind.LIKE, moment(BOB_LIKE_US), "p1"),
    (CAROL, ALICE, InteractionKind.LIKE, moment(CAROL_LIKE_US), "p1"),
    (DAVE, ALICE, SHARE, moment(P1_US), "p1"),  # a repost's time is not told: its post's
    (CAROL, ALICE, SHARE, moment(QUOTE_US), "p1"),
    (BOB, ALICE, REPLY, moment(REPLY_US), "p1"),
    (ALICE, ERIN, REPLY, moment(P2_US), None),
])  # fmt: skip


def test_the_backfill_reads_the_accounts_90_days_and_a_second_run_adds_nothing(server):
    out, err = backfill("--account", "@alice.bsky.social")

    assert err == ""
    assert out.startswith("read 14, created 14, duplicates 0, rejected 0, skipped (do not track) 0")
    assert written() == {
        "handles": [
            (ALICE, "alice.bsky.social", "Alice", 120),
            (BOB, "bob.bsky.social", "bob", 0),
            (CAROL, "carol.bsky.social", "carol", 0),
            (DAVE, "dave.bsky.social", "dave", 0),
            (ERIN, "", "", 0),  # only replied to: named later (getProfiles)
        ],
        "posts": [
            (ALICE, "p1", "original"),
            (ALICE, "p2", "reply"),
            (BOB, "r1", "reply"),
            (CAROL, "q1", "original"),
        ],
        "interactions": EXPECTED_INTERACTIONS,
    }
    post = Post.objects.get(external_id="p1")
    assert (post.reported_likes, post.reported_shares, post.text) == (3, 1, "Compost")
    assert post.url == f"https://bsky.app/profile/{ALICE}/post/p1"
    assert not any("p0" in call for call in server.calls)  # older than the window: not read

    before = written()
    again, _ = backfill("--account", ALICE)

    # Dave's repost, which Sway has, is not given again (its time is not told).
    assert again.startswith("read 12, created 0, duplicates 12,")
    assert written() == before


def test_what_the_stream_wrote_first_is_counted_once(server):
    stream = [
        frames.post("alice", P1_US, "p1", "Compost"),
        frames.engage(LIKE, "bob", BOB_LIKE_US, "l1", ("alice", "p1")),
        frames.post("carol", QUOTE_US, "q1", "Look", quote=("alice", "p1")),
        frames.post("bob", REPLY_US, "r1", "Yes!", reply_to=("alice", "p1")),
        frames.engage(REPOST, "dave", REPOST_US, "s1", ("alice", "p1")),
    ]
    BatchWriter().write([jetstream.read(json.dumps(f)) for f in stream], REPOST_US)

    backfill("--account", "alice.bsky.social")

    # Dave's repost keeps the stream's time; nothing else differs from a backfill alone.
    expected = [
        (DAVE, ALICE, SHARE, moment(REPOST_US), "p1") if row[:3] == (DAVE, ALICE, SHARE) else row
        for row in EXPECTED_INTERACTIONS
    ]
    assert interactions() == sorted(expected)
    assert Post.objects.count() == 4

    # And a later deletion on the stream still finds what it made.
    undo = frames.delete("bob", REPOST_US + 1, "app.bsky.feed.post", "r1")
    BatchWriter().write([jetstream.read(json.dumps(undo))], REPOST_US + 1)
    assert not Interaction.objects.filter(kind=REPLY, actor__external_id=BOB).exists()


def test_handles_on_the_do_not_track_list_are_skipped(server):
    DoNotTrack.objects.create(network="bluesky", external_id=BOB)

    out, _ = backfill("--account", "alice.bsky.social")

    assert "skipped (do not track) 4" in out  # Bob's handle, like, reply post and its reply
    assert not Handle.objects.filter(external_id=BOB).exists()
    assert not Post.objects.filter(external_id="r1").exists()
    assert len(interactions()) == 4


def test_an_opted_out_account_writes_nothing(server):
    DoNotTrack.objects.create(network="bluesky", external_id=ALICE)

    backfill("--account", "alice.bsky.social")

    assert not Handle.objects.filter(external_id=ALICE).exists()
    assert not Interaction.objects.filter(target__external_id=ALICE).exists()


def nothing_written():
    return not (Handle.objects.exists() or Post.objects.exists() or Interaction.objects.exists())


def failing(*options):
    with pytest.raises(CommandError) as failure:
        backfill(*options)
    assert nothing_written()
    return str(failure.value)


def test_an_unknown_account_is_a_clear_error(server):
    message = failing("--account", "nobody.bsky.social")

    assert message == (
        f"{server.url}/xrpc/app.bsky.actor.getProfile?actor=nobody.bsky.social: "
        "HTTP 400 InvalidRequest: Profile not found"
    )


@pytest.mark.parametrize(
    "account", ["", "alice", "did:plc:", "alice.bsky.social/../x", "a\x00.bsky.social"]
)
def test_an_account_that_is_no_handle_nor_did_is_refused_before_any_call(server, account):
    message = failing("--account", account)

    assert "--account" in message
    assert server.calls == []


def test_rate_limits_are_waited_out(server):
    reset = str(int(time.time()))  # RateLimit-Reset: unix seconds; now, so no wait
    server.faults["app.bsky.feed.getLikes"] = [Fault(429, {}, {"RateLimit-Reset": reset})]
    server.faults["app.bsky.feed.getRepostedBy"] = [Fault(429, {}, {"Retry-After": "0"})]

    backfill("--account", "alice.bsky.social")

    assert interactions() == EXPECTED_INTERACTIONS


def test_the_waits_are_bounded(server, monkeypatch):
    waits = []
    monkeypatch.setattr(time, "sleep", waits.append)  # urllib3's Retry sleeps through time
    far = str(int(time.time()) + 3600)
    server.faults["app.bsky.feed.getLikes"] = [Fault(429, {}, {"RateLimit-Reset": far})] * 9

    message = failing("--account", "alice.bsky.social")

    assert message.endswith("still rate limited (HTTP 429) after 5 retries")
    assert waits == [appview.MAX_WAIT_SECONDS] * 5


BOB_AS_NOBODY = {"did": BOB, "handle": "bob.bsky.social", "displayName": "\ud800"}
A_TIME = "2026-01-01T00:00:00Z"
LIKED = {"actor": BOB_AS_NOBODY, "createdAt": A_TIME, "indexedAt": A_TIME}
LONE_SURROGATE = json.dumps({"likes": [LIKED]}).encode()


@pytest.mark.parametrize(
    ("method", "fault", "reason"),
    [
        ("app.bsky.feed.getRepostedBy", Fault(500, {"error": "InternalServerError"}), "HTTP 500"),
        ("app.bsky.feed.getQuotes", Fault(200, b"{not json"), "the answer is not JSON"),
        ("app.bsky.feed.getQuotes", Fault(200, b"[1, 2]"), "the answer is not a JSON object"),
        ("app.bsky.feed.getLikes", Fault(200, {"likes": "none"}), "likes is not a list"),
        ("app.bsky.feed.getLikes", Fault(200, {"likes": [], "cursor": 7}), "cursor is not"),
        ("app.bsky.feed.getAuthorFeed", Fault(200, b"[" * 5000 + b"]" * 5000), "not JSON"),
        ("app.bsky.feed.getLikes", Fault(200, b'{"likes": [], "cursor": 1e999}'), "not JSON"),
        ("app.bsky.feed.getLikes", Fault(200, LONE_SURROGATE), "not JSON"),
        (
            "app.bsky.feed.getPostThread",
            Fault(200, b'{"thread": "' + b"x" * (appview.MAX_BODY_BYTES + 1) + b'"}'),
            f"the answer is larger than {appview.MAX_BODY_BYTES:,} bytes",
        ),
        ("app.bsky.feed.getPostThread", Fault(302, b"", {"Location": "http://10.0.0.1/"}),
         "HTTP 302"),
    ],
)  # fmt: skip
def test_a_failed_call_is_a_clear_error_and_nothing_is_written(server, method, fault, reason):
    server.faults[method] = [fault]

    message = failing("--account", "alice.bsky.social")

    assert message.startswith(f"{server.url}/xrpc/{method}?")
    assert reason in message


def test_an_appview_that_cannot_be_reached_is_a_clear_error(settings):
    with serving() as gone:
        settings.BLUESKY_APPVIEW_URL = gone.url
    message = failing("--account", "alice.bsky.social")

    assert "request failed:" in message
    assert "Connection refused" in message


def hostile(world: World):
    """Values no AppView should give, each in one item; and a post whose time is no time."""
    world.posts[f"at://{CAROL}/app.bsky.feed.post/q1"]["record"]["text"] = "Lo\x00ok"
    world.posts[f"at://{BOB}/app.bsky.feed.post/r1"]["view"] = {"likeCount": 2**40}
    world.posts[f"at://{ALICE}/app.bsky.feed.post/p2"]["record"]["createdAt"] = "2024-13-99"
    p1 = f"at://{ALICE}/app.bsky.feed.post/p1"
    world.like(DAVE, p1, created_at(NOW_US), "not a time")
    world.profile(did("eve"), "eve.bsky.social", displayName="E" * 10_000)
    world.like(did("eve"), p1, created_at(NOW_US), indexed(NOW_US))


def test_hostile_items_are_bad_lines_and_stop_the_import_before_it_writes(server):
    hostile(server.world)

    message = failing("--account", "alice.bsky.social")

    assert message == "import stopped at the first bad line (use --on-error skip to go on)"


def test_with_on_error_skip_the_rest_is_written(server):
    hostile(server.world)

    out, err = backfill("--account", "alice.bsky.social", "--on-error", "skip")

    # Each bad line: where (the call and item), and why.
    where_why = [(line.split("?")[0].rsplit("/", 1)[1], line) for line in err.splitlines()]
    assert [where for where, _ in where_why] == [
        "app.bsky.feed.getLikes",
        "app.bsky.feed.getLikes",
        "app.bsky.feed.getQuotes",
        "app.bsky.feed.getPostThread",
    ], err
    assert "indexedAt is not an ISO 8601 time" in where_why[0][1]
    assert "displayName" in where_why[1][1]
    assert "text contains a NUL character" in where_why[2][1]
    assert "likeCount must be a whole number" in where_why[3][1]
    assert "rejected 4" in out
    assert interactions() == sorted([
        (BOB, ALICE, InteractionKind.LIKE, moment(BOB_LIKE_US), "p1"),
        (CAROL, ALICE, InteractionKind.LIKE, moment(CAROL_LIKE_US), "p1"),
        (DAVE, ALICE, SHARE, moment(P1_US), "p1"),
        (ALICE, ERIN, REPLY, moment(P2_US + 1_000), None),  # when the AppView indexed it
    ])  # fmt: skip
