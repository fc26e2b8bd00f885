"""A made-up but realistic stream of Jetstream frames for bench_stream, in Jetstream's
documented shapes (github.com/bluesky-social/jetstream, "Example events"): posts (some
replies, quotes and mentions), likes, reposts, follows, deletes of earlier records, identity
and account events, among many accounts, a few of them far more active or engaged with than
the rest.

Each frame is made once, as a template: `head` + the event's time_us + `tail`. The replay
server writes the time at sending (and as the records' createdAt), and replays the templates
lap after lap with `LAP` in every record key replaced by the lap's code, so each lap makes
records of its own."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"
FOLLOW = "app.bsky.graph.follow"
LAP = b"LAP"
CREATED_AT = b"CREATED_AT"
# Base32-sortable, as record keys (TIDs) and did:plc identifiers are written.
ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_TIME = 1_111_111_111_111_111  # the time's place in a template, as wide as today's µs
_RECENT = 5000  # earlier posts and records a new event may refer to
_WORDS = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "is",
    "it",
    "you",
    "that",
    "for",
    "on",
    "with",
    "this",
    "was",
    "just",
    "so",
    "my",
    "new",
    "but",
    "like",
    "what",
    "today",
    "people",
    "time",
    "really",
    "good",
    "think",
    "know",
    "about",
    "going",
    "love",
    "day",
    "one",
    "all",
    "get",
    "more",
    "bluesky",
    "here",
    "now",
    "year",
    "see",
    "also",
    "still",
    "want",
    "make",
    "back",
    "first",
    "need",
    "work",
    "much",
]

# Shares of the events: likes dominate, as on Bluesky (see docs/PERFORMANCE.md).
MIX: dict[str, float] = {
    "like": 0.55,
    "post": 0.13,
    "follow": 0.12,
    "repost": 0.09,
    "delete": 0.09,
    "identity": 0.01,
    "account": 0.01,
}
REPLY_SHARE = 0.45  # of posts
QUOTE_SHARE = 0.08
MENTION_SHARE = 0.10


@dataclass(frozen=True, slots=True)
class Template:
    head: bytes
    tail: bytes

    def frame(self, time_us: int, lap: bytes) -> bytes:
        moment = datetime.fromtimestamp(time_us / 1e6, UTC).isoformat(timespec="milliseconds")
        created_at = moment.replace("+00:00", "Z").encode()
        return (
            self.head
            + b"%d" % time_us
            + self.tail.replace(LAP, lap).replace(CREATED_AT, created_at)
        )


def lap_code(lap: int) -> bytes:
    """Three base32 characters: 32,768 laps of distinct record keys."""
    return "".join(ALPHABET[lap >> shift & 31] for shift in (10, 5, 0)).encode()


def templates(count: int, accounts: int, seed: int = 24) -> list[Template]:
    return _Maker(accounts, random.Random(seed)).make(count)  # noqa: S311 (made-up events)


class _Maker:
    def __init__(self, accounts: int, rng: random.Random):
        self.rng = rng
        self.dids = ["did:plc:" + "".join(rng.choices(ALPHABET, k=24)) for _ in range(accounts)]
        self.posts: list[tuple[str, str]] = []  # (did, rkey) of this lap's posts
        self.records: list[tuple[str, str, str]] = []  # (did, collection, rkey)
        self.created_at = CREATED_AT.decode()
        self.made = 0
        self.kinds: dict[str, Callable[[str], dict[str, object]]] = {
            "like": lambda did: self._engage(did, LIKE),
            "post": self._post,
            "follow": self._follow,
            "repost": lambda did: self._engage(did, REPOST),
            "delete": self._delete,
            "identity": self._identity,
            "account": self._account,
        }

    def make(self, count: int) -> list[Template]:
        kinds = self.rng.choices(list(MIX), weights=list(MIX.values()), k=count)
        made = []
        for kind in kinds:
            event = self.kinds[kind](self._actor())
            head, tail = orjson.dumps(event).split(b"%d" % _TIME)
            made.append(Template(head, tail))
        return made

    def _actor(self) -> str:
        """Activity is skewed: a few accounts act far more than most."""
        return self.dids[int(len(self.dids) * self.rng.random() ** 2)]

    def _famous(self) -> str:
        """Attention is more skewed still: followed, mentioned."""
        return self.dids[int(len(self.dids) * self.rng.random() ** 6)]

    def _rkey(self) -> str:
        """Rising, as TIDs do: the lap's code, then a count, its highest place first."""
        self.made += 1
        count = "".join(ALPHABET[self.made >> shift & 31] for shift in range(35, -1, -5))
        return "3l" + LAP.decode() + count

    def _earlier_post(self) -> tuple[str, str]:
        """A recent post of the stream, or one made before it (unknown here)."""
        if self.posts and self.rng.random() < 0.9:
            return self.posts[-1 - int(min(len(self.posts), _RECENT) * self.rng.random() ** 3)]
        return self._famous(), "3kzz" + "".join(self.rng.choices(ALPHABET, k=9))

    def _commit(self, did: str, collection: str, record: dict[str, object]) -> dict[str, object]:
        rkey = self._rkey()
        self.records.append((did, collection, rkey))
        if collection == POST:
            self.posts.append((did, rkey))
        body = {
            "rev": "3l3qo2vutsw2b",
            "operation": "create",
            "collection": collection,
            "rkey": rkey,
            "record": {"$type": collection, "createdAt": self.created_at, **record},
            "cid": "bafyreidwaivazkwu67xztlpvokebgzgfqpsfwdl4dnhfqqawoaofyhqwye",
        }
        return {"did": did, "time_us": _TIME, "kind": "commit", "commit": body}

    def _engage(self, did: str, collection: str) -> dict[str, object]:
        author, rkey = self._earlier_post()
        subject = {"uri": f"at://{author}/{POST}/{rkey}", "cid": "bafyreic3pnvdvqtbqyt6fvjyq"}
        return self._commit(did, collection, {"subject": subject})

    def _follow(self, did: str) -> dict[str, object]:
        return self._commit(did, FOLLOW, {"subject": self._famous()})

    def _post(self, did: str) -> dict[str, object]:
        text = " ".join(self.rng.choices(_WORDS, k=self.rng.randint(3, 40)))
        record: dict[str, object] = {"text": text, "langs": ["en"]}
        if self.rng.random() < REPLY_SHARE:
            author, rkey = self._earlier_post()
            parent = {"uri": f"at://{author}/{POST}/{rkey}", "cid": "bafyreia7mf2lfsdg4t4dzxyve"}
            record["reply"] = {"parent": parent, "root": parent}
        if self.rng.random() < QUOTE_SHARE:
            author, rkey = self._earlier_post()
            quoted = {"uri": f"at://{author}/{POST}/{rkey}", "cid": "bafyreib2rxk3rybk3aobmv5c"}
            record["embed"] = {"$type": "app.bsky.embed.record", "record": quoted}
        if self.rng.random() < MENTION_SHARE:
            mention = {"$type": "app.bsky.richtext.facet#mention", "did": self._famous()}
            record["facets"] = [{"index": {"byteStart": 0, "byteEnd": 3}, "features": [mention]}]
        return self._commit(did, POST, record)

    def _delete(self, did: str) -> dict[str, object]:
        """Someone undoes a recent record of theirs: mostly an unlike."""
        if not self.records:
            return self._post(did)
        did, collection, rkey = self.records[
            -1 - int(min(len(self.records), _RECENT) * self.rng.random())
        ]
        body = {
            "rev": "3l3qo2vutsw2c",
            "operation": "delete",
            "collection": collection,
            "rkey": rkey,
        }
        return {"did": did, "time_us": _TIME, "kind": "commit", "commit": body}

    def _identity(self, did: str) -> dict[str, object]:
        handle = f"{did[-10:]}.bsky.social"
        body = {"did": did, "handle": handle, "seq": 1409752997, "time": self.created_at}
        return {"did": did, "time_us": _TIME, "kind": "identity", "identity": body}

    def _account(self, did: str) -> dict[str, object]:
        body = {"active": True, "did": did, "seq": 1409753013, "time": self.created_at}
        return {"did": did, "time_us": _TIME, "kind": "account", "account": body}
