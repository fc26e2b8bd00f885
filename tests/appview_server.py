"""A local HTTP server speaking Bluesky's AppView API (XRPC over HTTP) in its documented shapes
(the lexicons app.bsky.actor.getProfile(s), app.bsky.feed.getAuthorFeed, getLikes,
getRepostedBy, getQuotes and getPostThread), over a small world the test builds: profiles,
posts (records as Jetstream gives them, tests.scoring.bluesky_events), likes and reposts.
Lists are paged by `limit` and `cursor`, as the AppView does. `faults` answers a method's next
calls otherwise: an HTTP status with headers and a body, or raw bytes."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.recorded_server import HOST

POST = "app.bsky.feed.post"


@dataclass
class Fault:
    status: int
    body: bytes | Any = b""  # bytes as they are, anything else as JSON
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)  # DID → profile view
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)  # at:// → (author, record…)
    likes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # at:// → likes
    reposts: dict[str, list[str]] = field(default_factory=dict)  # at:// → DIDs

    def profile(self, did: str, handle: str, **more: Any) -> dict[str, Any]:
        self.profiles[did] = {"did": did, "handle": handle, "displayName": handle.split(".")[0],
                              "avatar": f"https://cdn.example/{did}.jpg", "followersCount": 0,
                              "followsCount": 0, "postsCount": 0, "description": "",
                              "indexedAt": "2024-01-01T00:00:00.000Z", **more}  # fmt: skip
        return self.profiles[did]

    def post(self, did: str, rkey: str, record: dict[str, Any], indexed_at: str) -> str:
        """A post by `did` whose record is `record` (with its $type); its at:// address."""
        uri = f"at://{did}/{POST}/{rkey}"
        self.posts[uri] = {"did": did, "record": record, "indexedAt": indexed_at}
        return uri

    def like(self, did: str, uri: str, created_at: str, indexed_at: str) -> None:
        like = {"actor": self._basic(did), "createdAt": created_at, "indexedAt": indexed_at}
        self.likes.setdefault(uri, []).append(like)

    def repost(self, did: str, uri: str) -> None:
        self.reposts.setdefault(uri, []).append(did)

    def view(self, uri: str) -> dict[str, Any]:
        """app.bsky.feed.defs#postView."""
        post = self.posts[uri]
        return {
            "$type": "app.bsky.feed.defs#postView",
            "uri": uri,
            "cid": "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm",
            "author": self._basic(post["did"]),
            "record": post["record"],
            "indexedAt": post["indexedAt"],
            "likeCount": len(self.likes.get(uri, [])),
            "repostCount": len(self.reposts.get(uri, [])),
            "replyCount": len(self._replies(uri)),
            "quoteCount": len(self._quotes(uri)),
            "labels": [],
            **post.get("view", {}),  # what a test makes the view say otherwise
        }

    def _basic(self, did: str) -> dict[str, Any]:
        profile = self.profiles[did]
        keys = ("did", "handle", "displayName", "avatar")
        return {key: profile[key] for key in keys if key in profile}

    def _replies(self, uri: str) -> list[str]:
        return [
            u
            for u, p in self.posts.items()
            if p["record"].get("reply", {}).get("parent", {}).get("uri") == uri
        ]

    def _quotes(self, uri: str) -> list[str]:
        return [
            u
            for u, p in self.posts.items()
            if p["record"].get("embed", {}).get("record", {}).get("uri") == uri
        ]

    def _newest_first(self, uris: list[str]) -> list[str]:
        return sorted(uris, key=lambda u: self.posts[u]["indexedAt"], reverse=True)

    def answer(self, method: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        one = {name: values[0] for name, values in query.items()}
        if method == "app.bsky.actor.getProfile":
            found = self._actor(one.get("actor", ""))
            return (200, found) if found else (400, _error("InvalidRequest", "Profile not found"))
        if method == "app.bsky.actor.getProfiles":
            profiles = [self._actor(actor) for actor in query.get("actors", [])]
            return 200, {"profiles": [profile for profile in profiles if profile]}
        if method == "app.bsky.feed.getAuthorFeed":
            actor = self._actor(one.get("actor", ""))
            if actor is None:
                return 400, _error("InvalidRequest", "Profile not found")
            mine = [u for u, p in self.posts.items() if p["did"] == actor["did"]]
            feed = [{"post": self.view(u)} for u in self._newest_first(mine)]
            return 200, _page(feed, "feed", one)
        uri = one.get("uri", "")
        if uri not in self.posts:
            return 400, _error("NotFound", f"Post not found: {uri}")
        if method == "app.bsky.feed.getLikes":
            return 200, {"uri": uri} | _page(self.likes.get(uri, []), "likes", one)
        if method == "app.bsky.feed.getRepostedBy":
            by = [self._basic(did) for did in self.reposts.get(uri, [])]
            return 200, {"uri": uri} | _page(by, "repostedBy", one)
        if method == "app.bsky.feed.getQuotes":
            quotes = [self.view(u) for u in self._newest_first(self._quotes(uri))]
            return 200, {"uri": uri} | _page(quotes, "posts", one)
        if method == "app.bsky.feed.getPostThread":
            return 200, {"thread": self._thread(uri)}
        return 501, _error("MethodNotImplemented", "Method Not Implemented")

    def _actor(self, actor: str) -> dict[str, Any] | None:
        if actor in self.profiles:
            return self.profiles[actor]
        return next((p for p in self.profiles.values() if p["handle"] == actor), None)

    def _thread(self, uri: str) -> dict[str, Any]:
        replies = [
            {"$type": "app.bsky.feed.defs#threadViewPost", "post": self.view(u), "replies": []}
            for u in self._newest_first(self._replies(uri))
        ]
        return {"$type": "app.bsky.feed.defs#threadViewPost", "post": self.view(uri),
                "replies": replies}  # fmt: skip


def _error(name: str, message: str) -> dict[str, str]:
    return {"error": name, "message": message}


def _page(items: list[Any], key: str, query: dict[str, str]) -> dict[str, Any]:
    start = int(query.get("cursor") or 0)
    end = start + int(query.get("limit") or 50)
    page: dict[str, Any] = {key: items[start:end]}
    if end < len(items):
        page["cursor"] = str(end)
    return page


class AppViewServer(ThreadingHTTPServer):
    def __init__(self, world: World):
        super().__init__((HOST, 0), _Handler)
        self.url = f"http://{HOST}:{self.server_address[1]}"
        self.world = world
        self.faults: dict[str, list[Fault]] = {}  # method → the answers of its next calls
        self.calls: list[str] = []  # method?query, in order


class _Handler(BaseHTTPRequestHandler):
    server: AppViewServer

    def do_GET(self):
        parts = urlsplit(self.path)
        method = parts.path.removeprefix("/xrpc/")
        self.server.calls.append(f"{method}?{parts.query}")
        faults = self.server.faults.get(method)
        if faults:
            fault = faults.pop(0)
            self.answer(fault.status, fault.body, fault.headers)
            return
        status, body = self.server.world.answer(method, parse_qs(parts.query))
        self.answer(status, body, {})

    def answer(self, status, body, headers):
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):  # a client that stopped reading
            self.wfile.write(content)

    def log_message(self, format, *args):
        pass


@contextmanager
def serving(world: World | None = None) -> Iterator[AppViewServer]:
    server = AppViewServer(world or World())
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
