"""Bluesky's public AppView API (XRPC over HTTPS, no sign-in): profiles, an account's feed, and
who liked, reposted, quoted and replied to a post.

requests carries the calls, with urllib3's Retry waiting out HTTP 429 (bounded), timeouts and a
cap on an answer's size; the atproto SDK's lexicon models check each item's shape, one item
at a time, so that a malformed item is an error of its own and not of its whole page. Lists
are paged by their `cursor`, a bounded number of pages."""

import math
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus
from itertools import islice
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson
import requests
from atproto_client import models
from atproto_client.exceptions import ModelError
from atproto_client.models.utils import get_or_create
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3 import BaseHTTPResponse
from urllib3.exceptions import InvalidHeader
from urllib3.util import Retry

from scoring.ingest.mastodon import USER_AGENT
from scoring.ingest.records import SourceError

TIMEOUT_SECONDS = 10
PAGE_SIZE = 100  # the most the AppView gives a page
MAX_PAGES = 100  # of one list: a post's first 10,000 likers, say
MAX_BODY_BYTES = 8 << 20  # a full page of posts is far below this
PROFILES_AT_ONCE = 25  # app.bsky.actor.getProfiles' limit
RATE_LIMIT_RETRIES = 5
MAX_WAIT_SECONDS = 60.0
DEFAULT_WAIT_SECONDS = 5.0  # for a 429 that does not say when to come back

# The lexicons' models, reached through the SDK's `models`, which links them to one another
# (their classes are the aliases' __value__).
type Profile = models.AppBskyActorDefs.ProfileView
type ProfileDetailed = models.AppBskyActorDefs.ProfileViewDetailed
type PostView = models.AppBskyFeedDefs.PostView
type FeedItem = models.AppBskyFeedDefs.FeedViewPost
type Thread = models.AppBskyFeedDefs.ThreadViewPost
type Like = models.AppBskyFeedGetLikes.Like


class Failure(StrEnum):
    """How a call failed, for callers that explain it to a person."""

    NO_ANSWER = "no answer"
    UNREACHABLE = "unreachable"
    BUSY = "rate limited"
    NOT_FOUND = "no such account or post"
    SERVER_ERROR = "server error"
    NOT_APPVIEW = "not an AppView answer"


class AppViewError(SourceError):
    """A call that failed; `reason` says how, for an operator."""

    def __init__(self, url: str, reason: str, failure: Failure = Failure.NOT_APPVIEW):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.failure = failure


@dataclass(frozen=True)
class Item[M]:
    """One item of a list: its model, or why it is not one; `location` is its URL and index."""

    location: str
    model: M | None = None
    error: str = ""


class _RateLimitRetry(Retry):
    """urllib3's retries, of HTTP 429 alone, after the wait the answer asks for: Retry-After,
    else until the AppView's RateLimit-Reset (unix seconds), else DEFAULT_WAIT_SECONDS;
    MAX_WAIT_SECONDS at most."""

    RETRY_AFTER_STATUS_CODES = frozenset({HTTPStatus.TOO_MANY_REQUESTS})

    def get_retry_after(self, response: BaseHTTPResponse) -> float:
        try:
            seconds = super().get_retry_after(response)
        except InvalidHeader:
            seconds = None
        if seconds is None:
            seconds = _until_reset(response.headers.get("RateLimit-Reset"))
        return min(max(seconds, 0.0), MAX_WAIT_SECONDS)


def _until_reset(reset_header: str | None) -> float:
    try:
        reset = float(reset_header or "")
    except ValueError:
        return DEFAULT_WAIT_SECONDS
    return reset - time.time() if math.isfinite(reset) else DEFAULT_WAIT_SECONDS


class AppView:
    def __init__(
        self, base_url: str | None = None, *, rate_limit_retries: int = RATE_LIMIT_RETRIES
    ):
        url = base_url or settings.BLUESKY_APPVIEW_URL
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourceError(f"BLUESKY_APPVIEW_URL must be an http(s) URL, not {url!r}")
        self.base = url.rstrip("/")
        self.rate_limit_retries = rate_limit_retries
        # Only HTTP 429 is retried: a failed connection or a timeout fails the call.
        retry = _RateLimitRetry(
            total=rate_limit_retries,
            connect=0,
            read=0,
            other=0,
            redirect=0,
            status_forcelist={HTTPStatus.TOO_MANY_REQUESTS},
            raise_on_status=False,
        )
        self.session = requests.Session()
        self.session.mount(f"{parts.scheme}://", HTTPAdapter(max_retries=retry))
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})

    def close(self) -> None:
        self.session.close()

    def url(self, method: str, **params: str | int | list[str]) -> str:
        return f"{self.base}/xrpc/{method}?{urlencode(params, doseq=True)}"

    def call(self, url: str) -> dict[str, Any]:
        """The JSON object at `url`, waiting and retrying while the AppView answers HTTP 429."""
        try:
            with self.session.get(
                url, timeout=TIMEOUT_SECONDS, stream=True, allow_redirects=False
            ) as response:
                _check_status(url, response, self.rate_limit_retries)
                content = _body(url, response)
        except requests.RequestException as error:
            raise AppViewError(url, *_failure(error)) from None
        try:
            body = orjson.loads(content)
        except orjson.JSONDecodeError as error:
            raise AppViewError(url, f"the answer is not JSON ({error})") from None
        if not isinstance(body, dict):
            raise AppViewError(url, "the answer is not a JSON object")
        return body

    def profile(self, actor: str) -> ProfileDetailed:
        url = self.url("app.bsky.actor.getProfile", actor=actor)
        found = _model(self.call(url), ProfileDetailed.__value__)
        if isinstance(found, str):
            raise AppViewError(url, f"not a profile: {found}")
        return found

    def profiles(self, actors: list[str]) -> list[Item[ProfileDetailed]]:
        """Up to PROFILES_AT_ONCE profiles; those the AppView does not know are left out."""
        url = self.url("app.bsky.actor.getProfiles", actors=actors[:PROFILES_AT_ONCE])
        return _items(url, self.call(url), "profiles", ProfileDetailed.__value__)

    def author_feed(self, actor: str, *, limit: int = PAGE_SIZE) -> Iterator[Item[FeedItem]]:
        """The account's posts, replies and reposts, newest first, page after page."""
        feed = FeedItem.__value__
        params: dict[str, str | int] = {"actor": actor, "filter": "posts_with_replies"}
        return self._pages("app.bsky.feed.getAuthorFeed", "feed", feed, **params, limit=limit)

    def likes(self, uri: str) -> Iterator[Item[Like]]:
        return self._pages("app.bsky.feed.getLikes", "likes", Like.__value__, uri=uri)

    def reposted_by(self, uri: str) -> Iterator[Item[Profile]]:
        return self._pages("app.bsky.feed.getRepostedBy", "repostedBy", Profile.__value__, uri=uri)

    def quotes(self, uri: str) -> Iterator[Item[PostView]]:
        return self._pages("app.bsky.feed.getQuotes", "posts", PostView.__value__, uri=uri)

    def replies(self, uri: str) -> list[Item[Thread]]:
        """The direct replies to a post (its thread one level deep, without its parents)."""
        url = self.url("app.bsky.feed.getPostThread", uri=uri, depth=1, parentHeight=0)
        thread = self.call(url).get("thread")
        if not isinstance(thread, dict):
            raise AppViewError(url, "thread is not an object")
        if thread.get("$type") != "app.bsky.feed.defs#threadViewPost":
            return []  # a post not found, or blocked: no replies to read
        return _items(url, thread, "replies", Thread.__value__)

    def _pages[M](
        self, method: str, key: str, model: type[M], **params: str | int
    ) -> Iterator[Item[M]]:
        params.setdefault("limit", PAGE_SIZE)
        cursors: set[str] = set()
        cursor = ""
        for _ in range(MAX_PAGES):
            url = self.url(method, **params, **({"cursor": cursor} if cursor else {}))
            body = self.call(url)
            yield from _items(url, body, key, model)
            cursor = body.get("cursor") or ""
            if not isinstance(cursor, str) or len(cursor) > 1000:
                raise AppViewError(url, "cursor is not a short text")
            if not cursor or cursor in cursors:  # the end, or a server going round in circles
                return
            cursors.add(cursor)


def _check_status(url: str, response: requests.Response, retries: int) -> None:
    status = response.status_code
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        raise AppViewError(
            url, f"still rate limited (HTTP 429) after {retries} retries", Failure.BUSY
        )
    if 200 <= status < 300:
        return
    # XRPC errors are {"error": name, "message": text}; a missing account or post is a 400.
    reason = f"HTTP {status}"
    failure = Failure.NOT_FOUND if status == HTTPStatus.NOT_FOUND else Failure.SERVER_ERROR
    if status == HTTPStatus.BAD_REQUEST:
        name, message = _xrpc_error(response)
        reason = f"HTTP 400 {name}: {message}"
        not_found = "NotFound" in name or "not found" in message.lower()
        failure = Failure.NOT_FOUND if not_found or name.startswith("Account") else failure
    raise AppViewError(url, reason, failure)


def _xrpc_error(response: requests.Response) -> tuple[str, str]:
    try:
        error = orjson.loads(response.raw.read(10_000, decode_content=True))
    except (orjson.JSONDecodeError, OSError, requests.RequestException):
        error = {}
    if not isinstance(error, dict):
        error = {}
    name, message = error.get("error"), error.get("message")
    return _printable(name, 40) or "Error", _printable(message, 200)


def _printable(value: object, limit: int) -> str:
    """A server's word, safe to show: printable characters only, `limit` at most."""
    if not isinstance(value, str):
        return ""
    return "".join(c for c in value[:limit] if c.isprintable())


def _body(url: str, response: requests.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(64 << 10):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise AppViewError(url, f"the answer is larger than {MAX_BODY_BYTES:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _failure(error: requests.RequestException) -> tuple[str, Failure]:
    """A timeout, or else what failed first under requests' and urllib3's errors."""
    if isinstance(error, requests.Timeout):
        return f"no answer within {TIMEOUT_SECONDS} s", Failure.NO_ANSWER
    reason: BaseException = error
    while (cause := reason.__cause__ or reason.__context__) is not None:
        reason = cause
    return f"request failed: {reason}", Failure.UNREACHABLE


def _model[M](data: object, model: type[M]) -> M | str:
    """`data` as the lexicon's model, or why it is not one."""
    if not isinstance(data, dict):
        return "not an object"
    try:
        return get_or_create(data, model, strict=True)
    except (ModelError, RecursionError) as error:
        return _printable(str(error).replace("\n", " "), 300)


def _items[M](url: str, body: dict[str, Any], key: str, model: type[M]) -> list[Item[M]]:
    values = body.get(key) or []
    if not isinstance(values, list):
        raise AppViewError(url, f"{key} is not a list")
    items = []
    for index, value in enumerate(values):
        found = _model(value, model)
        location = f"{url}#{index}"
        item = Item(location, error=found) if isinstance(found, str) else Item(location, found)
        items.append(item)
    return items


VERIFICATION_POSTS = 20  # the latest posts searched for a verification code


def public_texts(actor: str) -> list[str]:
    """What the account (a DID) shows the public as text: its profile's description and its latest
    posts of its own. Raises AppViewError when the AppView fails; a person waits for the
    answer, so a rate-limited AppView is not waited for."""
    with closing(AppView(rate_limit_retries=0)) as appview:
        profile = appview.profile(actor)
        if profile.did != actor:
            url = appview.url("app.bsky.actor.getProfile", actor=actor)
            raise AppViewError(url, f"answered for {profile.did[:100]}", Failure.NOT_FOUND)
        latest = appview.author_feed(profile.did, limit=VERIFICATION_POSTS)
        feed = islice(latest, VERIFICATION_POSTS)
        posts = [
            item.model.post
            for item in feed
            if item.model is not None
            and item.model.reason is None
            and item.model.post.author.did == profile.did
        ]
    texts = [getattr(post.record, "text", "") for post in posts]
    return [profile.description or "", *(text for text in texts if isinstance(text, str))]
