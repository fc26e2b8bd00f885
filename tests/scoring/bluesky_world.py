"""Alice's Bluesky world as the AppView shows it (tests.appview_server), and the times in it."""

from datetime import UTC, datetime

from scoring.models import InteractionKind
from tests.appview_server import World
from tests.scoring import bluesky_events as frames
from tests.scoring.bluesky_events import created_at, did

NOW_US = int(datetime.now(UTC).timestamp()) * 1_000_000
HOUR_US = 3_600_000_000
DAY_US = 24 * HOUR_US
SHARE, REPLY = InteractionKind.SHARE, InteractionKind.REPLY
ALICE, BOB, CAROL, DAVE, ERIN = (did(n) for n in ("alice", "bob", "carol", "dave", "erin"))

# Alice's posts: p1 a day ago (liked by Bob and Carol and by herself, reposted by Dave, quoted
# by Carol, answered by Bob), p2 two days ago (her reply to Erin's post), p0 100 days ago.
P1_US, P2_US, OLD_US = NOW_US - DAY_US, NOW_US - 2 * DAY_US, NOW_US - 100 * DAY_US
BOB_LIKE_US, CAROL_LIKE_US = P1_US + HOUR_US, P1_US + 2 * HOUR_US
QUOTE_US, REPLY_US, REPOST_US = P1_US + 3 * HOUR_US, P1_US + 4 * HOUR_US, P1_US + 5 * HOUR_US


def record(frame):
    return frame["commit"]["record"]


def indexed(time_us):
    return created_at(time_us + 1_000)  # the AppView indexes a record a moment after it is made


def alice_world() -> World:
    world = World()
    world.profile(ALICE, "alice.bsky.social", followersCount=120, displayName="Alice")
    for name in ("bob", "carol", "dave"):
        world.profile(did(name), f"{name}.bsky.social")
    p1 = world.post(
        ALICE, "p1", record(frames.post("alice", P1_US, "p1", "Compost")), indexed(P1_US)
    )
    p2 = frames.post("alice", P2_US, "p2", "Agreed", reply_to=("erin", "e1"))
    world.post(ALICE, "p2", record(p2), indexed(P2_US))
    p0 = world.post(ALICE, "p0", record(frames.post("alice", OLD_US, "p0", "Old")), indexed(OLD_US))
    world.like(BOB, p0, created_at(OLD_US + HOUR_US), indexed(OLD_US + HOUR_US))
    for liker, at in ((BOB, BOB_LIKE_US), (CAROL, CAROL_LIKE_US), (ALICE, CAROL_LIKE_US)):
        world.like(liker, p1, created_at(at), indexed(at))
    world.repost(DAVE, p1)
    quote = frames.post("carol", QUOTE_US, "q1", "Look", quote=("alice", "p1"))
    world.post(CAROL, "q1", record(quote), indexed(QUOTE_US))
    reply = frames.post("bob", REPLY_US, "r1", "Yes!", reply_to=("alice", "p1"))
    world.post(BOB, "r1", record(reply), indexed(REPLY_US))
    return world


def moment(time_us):
    return datetime.fromtimestamp(time_us / 1e6, UTC)
