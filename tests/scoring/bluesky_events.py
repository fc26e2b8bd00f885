"""Jetstream events as its documentation shows them (github.com/bluesky-social/jetstream),
made for tests."""

import json
from datetime import UTC, datetime, timedelta

from tests.jetstream_server import Frame

POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"
FOLLOW = "app.bsky.graph.follow"
START_US = int((datetime.now(UTC) - timedelta(days=1)).timestamp()) * 1_000_000


def did(name: str) -> str:
    return f"did:plc:{name}"


def uri(author: str, collection: str, rkey: str) -> str:
    return f"at://{did(author)}/{collection}/{rkey}"


def created_at(time_us: int) -> str:
    moment = datetime.fromtimestamp(time_us // 1_000_000, UTC)
    return moment.isoformat().replace("+00:00", f".{time_us // 1000 % 1000:03d}Z")


def commit(author: str, time_us: int, collection: str, rkey: str, record: dict | None, op="create"):
    body = {"rev": "3l3qo2vutsw2b", "operation": op, "collection": collection, "rkey": rkey}
    if record is not None:
        body |= {"record": {"$type": collection, **record}, "cid": "bafyreidwaivazkwu67xztl"}
    return {"did": did(author), "time_us": time_us, "kind": "commit", "commit": body}


def post(author, time_us, rkey, text="", *, reply_to=None, quote=None, mentions=()):
    record = {"text": text, "createdAt": created_at(time_us), "langs": ["en"]}
    if reply_to:
        parent = {"uri": uri(reply_to[0], POST, reply_to[1]), "cid": "bafyreia"}
        record["reply"] = {"parent": parent, "root": parent}
    if quote:
        record["embed"] = {
            "$type": "app.bsky.embed.record",
            "record": {"uri": uri(quote[0], POST, quote[1]), "cid": "bafyreib"},
        }
    if mentions:
        record["facets"] = [
            {
                "index": {"byteStart": 0, "byteEnd": 5},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did(name)}],
            }
            for name in mentions
        ]
    return commit(author, time_us, POST, rkey, record)


def engage(collection, author, time_us, rkey, subject):
    """A like or repost of the post `subject` = (author, rkey)."""
    record = {
        "createdAt": created_at(time_us),
        "subject": {"uri": uri(subject[0], POST, subject[1]), "cid": "bafyreic"},
    }
    return commit(author, time_us, collection, rkey, record)


def follow(author, time_us, rkey, subject):
    return commit(
        author, time_us, FOLLOW, rkey, {"createdAt": created_at(time_us), "subject": did(subject)}
    )


def delete(author, time_us, collection, rkey):
    return commit(author, time_us, collection, rkey, None, op="delete")


def identity(author, time_us, handle):
    body = {"did": did(author), "seq": 1409752997, "time": created_at(time_us), "handle": handle}
    return {"did": did(author), "time_us": time_us, "kind": "identity", "identity": body}


def account(author, time_us, active=True):
    body = {"active": active, "did": did(author), "seq": 1409753013, "time": created_at(time_us)}
    return {"did": did(author), "time_us": time_us, "kind": "account", "account": body}


def frames(*events: dict) -> list[Frame]:
    return [Frame(event["time_us"], json.dumps(event)) for event in events]
