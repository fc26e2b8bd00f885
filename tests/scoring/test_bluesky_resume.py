"""The consumer killed (SIGKILL) mid-stream and started again writes what a run that was
never interrupted writes: every event once, none twice (issue 24's "exactly once")."""

import random
import subprocess
import time

import pytest

from scoring.models import BlueskyRecord, Handle, Interaction, Person, Post, StreamCursor
from tests.jetstream_server import Replay, replaying
from tests.scoring.bluesky_events import (
    FOLLOW,
    LIKE,
    POST,
    REPOST,
    START_US,
    delete,
    engage,
    follow,
    frames,
    identity,
    post,
)
from tests.support import PROJECT_DIR, clean_environment, manage_command, shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)

EVENTS = 1500
PEOPLE = [f"user{n}" for n in range(60)]


def busy_stream() -> list[dict]:
    """Posts, replies, quotes, likes, reposts, follows, deletions of each and new handles,
    mixed as a real stream mixes them."""
    rng = random.Random(24)  # noqa: S311 - a repeatable stream, no secret
    made: dict[str, list[tuple[str, str, str]]] = {POST: [], LIKE: [], REPOST: [], FOLLOW: []}
    events = []
    for n in range(EVENTS):
        t, me, other = START_US + n * 1000, rng.choice(PEOPLE), rng.choice(PEOPLE)
        rkey = f"k{n}"
        roll = rng.random()
        posts = made[POST]
        if roll < 0.2 or not posts:
            parent = rng.choice(posts)[::2] if posts and roll < 0.08 else None
            events.append(post(me, t, rkey, f"post {n} #rust", reply_to=parent, mentions=(other,)))
            made[POST].append((me, POST, rkey))
        elif roll < 0.7:
            collection = LIKE if roll < 0.55 else REPOST
            author, _, key = rng.choice(posts)
            events.append(engage(collection, me, t, rkey, (author, key)))
            made[collection].append((me, collection, rkey))
        elif roll < 0.85:
            events.append(follow(me, t, rkey, other))
            made[FOLLOW].append((me, FOLLOW, rkey))
        elif roll < 0.95:
            collection = rng.choice([c for c in made if made[c]])
            author, _, key = made[collection].pop(rng.randrange(len(made[collection])))
            events.append(delete(author, t, collection, key))
        else:
            events.append(identity(me, t, f"{me}-{n}.bsky.social"))
    return events


def database() -> dict[str, object]:
    """What the stream wrote, by the network's ids, so that two runs compare."""
    dids = dict(Handle.objects.values_list("id", "external_id"))
    posts = dict(Post.objects.values_list("id", "external_id"))
    return {
        "handles": sorted(Handle.objects.values_list("external_id", "username", "followers_count")),
        "people": Person.objects.count(),
        "posts": sorted(
            (dids[h], e, text, kind, at)
            for h, e, text, kind, at in Post.objects.values_list(
                "handle_id", "external_id", "text", "kind", "published_at"
            )
        ),
        "interactions": sorted(
            (dids[a], dids[t], k, at, posts.get(p, ""))
            for a, t, k, at, p in Interaction.objects.values_list(
                "actor_id", "target_id", "kind", "occurred_at", "post_id"
            )
        ),
        "records": sorted(BlueskyRecord.objects.values_list("did", "collection", "rkey")),
        "cursor": StreamCursor.objects.get(pk="bluesky").time_us,
    }


def forget_everything() -> None:
    for model in (Interaction, BlueskyRecord, Post, Handle, Person, StreamCursor):
        model.objects.all().delete()


def consumer(url: str, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        manage_command("stream_bluesky", "--url", url, "--batch-size", "40",
                       "--flush-seconds", "0.05", *options),
        cwd=PROJECT_DIR,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="tests.settings", DATABASE_URL=shared_database_url()
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


def written_up_to() -> int:
    return StreamCursor.objects.filter(pk="bluesky").values_list("time_us", flat=True).first() or 0


def kill_after(process: subprocess.Popen[str], time_us: int) -> None:
    deadline = time.monotonic() + 60
    while written_up_to() < time_us:
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "the consumer made no progress"
        time.sleep(0.01)
    process.kill()  # SIGKILL
    process.wait()


def run_to_the_end(url: str) -> None:
    process = consumer(url, "--exit-when-idle", "1")
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output


def test_killed_mid_stream_and_started_again_it_writes_what_a_clean_run_writes():
    events = busy_stream()
    last = events[-1]["time_us"]
    with replaying(Replay(frames(*events))) as replay:
        run_to_the_end(replay.url)
    clean = database()
    assert clean["cursor"] == last
    assert len(clean["interactions"]) > 500
    forget_everything()

    with replaying(Replay(frames(*events), pace=0.0005)) as replay:
        for fraction in (0.25, 0.6):
            kill_after(consumer(replay.url), START_US + int(EVENTS * fraction) * 1000)
            assert written_up_to() < last
        replay.pace = 0
        run_to_the_end(replay.url)

    assert database() == clean
    assert len(replay.asked) == 3
