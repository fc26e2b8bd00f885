"""Mastodon, read through an instance's public REST API (no token, so public statuses only).

`read` looks the account up at once, so that a wrong instance or account is a SourceError
before anything is written. Then it pages lazily through the account's statuses of the
scoring window and, for each, the accounts that favourited and reblogged it. A request that
fails on the way becomes a bad source line at its URL: `--on-error skip` goes on without it.

An account id is unique only on the server that gives it, so a handle's username is the
account's `user@host` and its external id that name casefolded. The daily refresh of verified
accounts reads only what is new (scoring.ingest.mastodon_updates)."""

import json
import re
import socket
from collections.abc import Generator, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from html.parser import HTMLParser
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3 import BaseHTTPResponse
from urllib3.exceptions import InvalidHeader
from urllib3.util import Retry

from marketplace.text import is_web_address
from scoring.ingest import checks
from scoring.ingest.records import (
    HandleRecord,
    InteractionRecord,
    PostRecord,
    Record,
    RecordError,
    Source,
    SourceError,
    SourceLine,
)
from scoring.models import InteractionKind, Network, PostKind

NETWORK = Network.MASTODON
USER_AGENT = "Sway/1.0 (+https://sway.example)"
TIMEOUT_SECONDS = 10
PAGE_SIZE = 40
WINDOW = timedelta(days=90)  # the scoring window: older statuses are not read
RATE_LIMIT_RETRIES = 5
MAX_WAIT_SECONDS = 60.0
DEFAULT_WAIT_SECONDS = 5.0  # for a 429 that does not say when to come back
type Counts = tuple[int, int]  # a status's favourites and reblogs, as its server counts them
_ACCOUNT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # Mastodon's are digits, Pleroma's letters too
_REMAINING = re.compile(r"[0-9]{1,9}")
MAX_BODY_BYTES = 8 * 1024 * 1024  # a page of 40 statuses is some 100 kB


class Failure(StrEnum):
    """How a request to an instance failed, for callers that explain it to a person."""

    NO_SUCH_HOST = "no such host"
    NO_ANSWER = "no answer"
    UNREACHABLE = "unreachable"
    BUSY = "rate limited"
    NO_SUCH_ACCOUNT = "no such account"
    SERVER_ERROR = "server error"
    NOT_MASTODON = "not a Mastodon answer"


class RequestError(SourceError):
    """A request to the instance that failed; `reason` says how, for an operator."""

    def __init__(self, url: str, reason: str, failure: Failure = Failure.NOT_MASTODON):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.failure = failure


# Failures of the whole server rather than of one account: an impatient client stops there.
_SERVER_FAILURES = frozenset(
    {Failure.NO_SUCH_HOST, Failure.NO_ANSWER, Failure.UNREACHABLE, Failure.BUSY}
)


@dataclass(frozen=True)
class Page:
    url: str
    body: Any
    next_url: str | None


class _RateLimitRetry(Retry):
    """urllib3's retries, of HTTP 429 alone, after the wait the answer asks for: Retry-After,
    else until Mastodon's X-RateLimit-Reset, else DEFAULT_WAIT_SECONDS; MAX_WAIT_SECONDS at
    most."""

    RETRY_AFTER_STATUS_CODES = frozenset({HTTPStatus.TOO_MANY_REQUESTS})

    def get_retry_after(self, response: BaseHTTPResponse) -> float:
        try:
            seconds = super().get_retry_after(response)  # in seconds or as a date
        except InvalidHeader:
            seconds = None
        if seconds is None:
            seconds = _until_reset(response.headers.get("X-RateLimit-Reset"))
        return min(seconds, MAX_WAIT_SECONDS)


def _until_reset(reset_header: str | None) -> float:
    reset = _reset_time(reset_header)
    if reset is None:
        return DEFAULT_WAIT_SECONDS
    return max((reset - datetime.now(UTC)).total_seconds(), 0.0)


def _reset_time(reset_header: str | None) -> datetime | None:
    """When Mastodon's X-RateLimit-Reset says the budget comes back; None if it does not say."""
    try:
        reset = datetime.fromisoformat(reset_header or "")
        return reset.replace(tzinfo=reset.tzinfo or UTC).astimezone(UTC)
    except (ValueError, OverflowError):  # not a time, or one past the calendar's ends in UTC
        return None


def _remaining(header: str | None) -> int | None:
    """Mastodon's X-RateLimit-Remaining, the requests left in its window; None if unclear."""
    return int(header) if header and _REMAINING.fullmatch(header) else None


class Client:
    """One instance's API. A patient client (an import by hand) waits out HTTP 429s; an
    impatient one (a person waiting, the daily refresh) does not, and once the server refused
    it, failed to answer or said its rate limit is spent, it asks that server nothing more."""

    def __init__(self, instance: str, *, host: str | None = None, patient: bool = True):
        parts = urlsplit(instance)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourceError(
                f"--instance must be an http(s) URL such as https://mastodon.social, "
                f"not {instance!r}"
            )
        self.origin = f"{parts.scheme}://{parts.netloc}"
        # What local accounts' user@host names end with: the instance's, unless the settings
        # reach it at another address (MASTODON_INSTANCE_URLS).
        self.host = host or parts.hostname
        self.patient = patient
        self.rate_limit_retries = RATE_LIMIT_RETRIES if patient else 0
        self.remaining: int | None = None  # requests the server still allows, as it last said
        self.reset_at: datetime | None = None  # when they come back, as it last said
        self.stopped: RequestError | None = None  # why an impatient client asks no more
        # Only HTTP 429 is retried: a failed connection or a timeout fails the request.
        retry = _RateLimitRetry(
            total=self.rate_limit_retries,
            connect=0,
            read=0,
            other=0,
            status_forcelist={HTTPStatus.TOO_MANY_REQUESTS},
            raise_on_status=False,
        )
        self.session = requests.Session()
        for scheme in ("http://", "https://"):  # a redirect may change it
            self.session.mount(scheme, HTTPAdapter(max_retries=retry))
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})

    def close(self) -> None:
        self.session.close()

    def url(self, path: str, **query: str | int) -> str:
        return f"{self.origin}{path}?{urlencode(query)}"

    def get(self, url: str) -> Page:
        """The JSON at `url`; a patient client waits and retries while the instance answers
        HTTP 429."""
        if self.stopped is not None:
            raise RequestError(url, self.stopped.reason, self.stopped.failure)
        try:
            page = self._get(url)
        except RequestError as error:
            if not self.patient and error.failure in _SERVER_FAILURES:
                self.stopped = error
            raise
        if not self.patient and self.remaining == 0:
            until = f" until {self.reset_at:%H:%M:%S} UTC" if self.reset_at else ""
            self.stopped = RequestError(url, f"rate limit spent{until}", Failure.BUSY)
        return page

    def _get(self, url: str) -> Page:
        try:
            with closing(self.session.get(url, timeout=TIMEOUT_SECONDS, stream=True)) as response:
                content = _content(url, response)
        except requests.RequestException as error:
            raise RequestError(url, *_failure(error)) from None
        self.remaining = _remaining(response.headers.get("X-RateLimit-Remaining"))
        self.reset_at = _reset_time(response.headers.get("X-RateLimit-Reset"))
        status = response.status_code
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            self.remaining = 0
            waited = f"still rate limited (HTTP 429) after {self.rate_limit_retries} retries"
            raise RequestError(
                url, waited if self.patient else "rate limited (HTTP 429)", Failure.BUSY
            )
        if not 200 <= status < 300:
            failure = Failure.NO_SUCH_ACCOUNT if status == 404 else Failure.SERVER_ERROR
            raise RequestError(url, f"HTTP {status} ({response.reason})", failure)
        try:
            body = json.loads(content)
        except ValueError:
            raise RequestError(url, "the answer is not JSON") from None
        except RecursionError:
            raise RequestError(url, "the answer is nested too deeply") from None
        return Page(url, body, self._next_url(url, response))

    def pages(self, url: str) -> Iterator[Page]:
        """Each page of a list, following the Link headers' rel="next"."""
        next_url: str | None = url
        while next_url:
            page = self.list_page(next_url)
            if not page.body:
                return
            yield page
            next_url = page.next_url

    def list_page(self, url: str) -> Page:
        page = self.get(url)
        if not isinstance(page.body, list):
            raise RequestError(page.url, "expected a JSON list")
        return page

    def _next_url(self, url: str, response: requests.Response) -> str | None:
        link = response.links.get("next")
        if link is None:
            return None
        next_url = urljoin(url, link["url"])
        if not next_url.startswith(f"{self.origin}/"):
            raise RequestError(url, f"its next page is on another server: {next_url}")
        return next_url


def _content(url: str, response: requests.Response) -> bytes:
    """The answer's body, refused past MAX_BODY_BYTES (once decompressed) before it is all
    read."""
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RequestError(url, f"the answer is larger than {MAX_BODY_BYTES:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _failure(error: requests.RequestException) -> tuple[str, Failure]:
    """Judged by what failed first, under requests' and urllib3's errors: a socket's, mostly."""
    reason: BaseException = error
    while (cause := reason.__cause__ or reason.__context__) is not None:
        reason = cause
    if isinstance(reason, TimeoutError):
        return f"no answer within {TIMEOUT_SECONDS} s", Failure.NO_ANSWER
    if isinstance(reason, socket.gaierror):
        return f"request failed: {reason}", Failure.NO_SUCH_HOST
    return f"request failed: {reason}", Failure.UNREACHABLE


def instance_url(host: str) -> str:
    """The server a Mastodon handle (user@host) lives on: https://host, unless the settings
    say otherwise for that host. Never the imported profile address, which anyone's data
    could point at an internal server."""
    return str(settings.MASTODON_INSTANCE_URLS.get(host, f"https://{host}"))


def read(instance: str, account: str) -> Source:
    """Check now that the account exists (SourceError if not); read its signals lazily."""
    client = Client(instance)
    name = account.strip().removeprefix("@")
    if not name:
        raise SourceError("--account is empty: give a username such as alice")
    return account_reader(client, name).lines()


def account_reader(
    client: Client, name: str, known: Mapping[str, Counts] | None = None
) -> "AccountReader":
    """Look the account up (RequestError if the server has no such account) and read it."""
    lookup = client.get(client.url("/api/v1/accounts/lookup", acct=name))
    try:
        owner = _handle(lookup.body, client.host)
    except RecordError as error:
        raise RequestError(lookup.url, f"not an account: {error}") from None
    return AccountReader(client, owner, lookup.body["id"], lookup.url, known)


VERIFICATION_STATUSES = 20  # the latest posts searched for a verification code


def public_texts(instance: str, account: str) -> list[str]:
    """What the account shows the public as text: its bio, its profile fields and its latest
    statuses. Raises RequestError when the instance fails; a person waits for the answer, so
    a rate-limited instance is not waited for."""
    with closing(Client(instance, patient=False)) as client:
        lookup = client.get(client.url("/api/v1/accounts/lookup", acct=account))
        profile = lookup.body if isinstance(lookup.body, dict) else {}
        account_id = str(profile.get("id", ""))
        if not _ACCOUNT_ID.fullmatch(account_id):
            raise RequestError(lookup.url, "not an account")
        fields = [f for f in profile.get("fields") or [] if isinstance(f, dict)]
        path = f"/api/v1/accounts/{quote(account_id, safe='')}/statuses"
        statuses = client.get(client.url(path, limit=VERIFICATION_STATUSES)).body
    if not isinstance(statuses, list):
        statuses = []
    return [
        _plain_text(profile.get("note")),
        *(_plain_text(field.get("value")) for field in fields),
        *(_plain_text(s.get("content")) for s in statuses if isinstance(s, dict)),
    ]


class AccountReader:
    """An account's statuses of the window as records. Of the statuses in `known` (read
    before, with their counts then), only the engagement that their counts say is new is
    read again."""

    def __init__(
        self,
        client: Client,
        owner: HandleRecord,
        account_id: str,
        lookup_url: str,
        known: Mapping[str, Counts] | None = None,
    ):
        self.client = client
        self.owner = owner
        self.account_id = account_id
        self.lookup_url = lookup_url
        self.known: Mapping[str, Counts] = known or {}
        self.recounted: dict[str, Counts] = {}  # known statuses whose counts changed: now
        self.newest = self.oldest = self.last_read = ""  # ids of the statuses read
        self.described = {owner.external_id}  # handles already given, so each is given once
        self.cutoff = datetime.now(UTC) - WINDOW

    def owner_line(self) -> SourceLine:
        return SourceLine(f"{self.lookup_url}#0", self.owner)

    def statuses_url(self, **query: str) -> str:
        path = f"/api/v1/accounts/{quote(self.account_id, safe='')}/statuses"
        return self.client.url(path, limit=PAGE_SIZE, **query)

    def lines(self) -> Source:
        """The account, then its statuses newest first down to the window's start; a failed
        request is a bad line at its URL."""
        yield self.owner_line()
        try:
            for page in self.client.pages(self.statuses_url()):
                if (yield from self.page_lines(page)):
                    return
        except RequestError as error:
            yield SourceLine(error.url, error=error.reason)
        finally:
            self.client.close()

    def page_lines(self, page: Page) -> Generator[SourceLine, None, bool]:
        """A page of statuses (newest first) as lines; True once one is older than the
        window, where the rest of the page and the pages after it are too."""
        for index, status in enumerate(page.body):
            if (yield from self.status_lines(f"{page.url}#{index}", status)):
                return True
        return False

    def status_lines(self, location: str, status: Any) -> Generator[SourceLine, None, bool]:
        """A status's post and mentions (unless read before) and its engagement that is new,
        as lines; True, and none, if it is older than the window."""
        try:
            post, records = self._status_records(status)
        except RecordError as error:
            yield SourceLine(location, error=str(error))
            return False
        self._note_read(post.external_id)
        if post.published_at < self.cutoff:
            return True
        before = self.known.get(post.external_id)
        counts = (post.reported_likes, post.reported_shares)
        if before is None:
            yield from (SourceLine(location, record) for record in records)
        elif counts != before:
            self.recounted[post.external_id] = counts
        yield from self._engagement(post, before or (0, 0))
        return False

    def _note_read(self, status_id: str) -> None:
        self.last_read = status_id
        if not self.newest or status_order(status_id) > status_order(self.newest):
            self.newest = status_id
        if not self.oldest or status_order(status_id) < status_order(self.oldest):
            self.oldest = status_id

    def _status_records(self, status: Any) -> tuple[PostRecord, list[Record]]:
        """The post, then the handles it mentions and the mentions."""
        post = _post(status, self.owner)
        records: list[Record] = [post]
        mentions = status.get("mentions") or []
        if not isinstance(mentions, list):
            raise RecordError("mentions is not a list")
        for mention in mentions:
            mentioned = _handle(mention, self.client.host)
            if mentioned.external_id == self.owner.external_id:
                continue
            records += self._describe(mentioned)
            records.append(
                InteractionRecord(
                    NETWORK,
                    self.owner.external_id,
                    mentioned.external_id,
                    InteractionKind.MENTION,
                    post.published_at,
                )
            )
        return post, records

    def _describe(self, handle: HandleRecord) -> list[HandleRecord]:
        if handle.external_id in self.described:
            return []
        self.described.add(handle.external_id)
        return [handle]

    def _engagement(self, post: PostRecord, before: Counts) -> Source:
        # A count no higher than at the last read (0 for a status never read) is trusted, to
        # spare requests: the API allows 300 per 5 minutes.
        likes, shares = before
        if post.reported_likes > likes:
            yield from self._engaged(post, "favourited_by", InteractionKind.LIKE)
        if post.reported_shares > shares:
            yield from self._engaged(post, "reblogged_by", InteractionKind.SHARE)

    def _engaged(self, post: PostRecord, endpoint: str, kind: InteractionKind) -> Source:
        path = f"/api/v1/statuses/{quote(post.external_id, safe='')}/{endpoint}"
        try:
            for page in self.client.pages(self.client.url(path, limit=PAGE_SIZE)):
                for index, account in enumerate(page.body):
                    location = f"{page.url}#{index}"
                    try:
                        actor = _handle(account, self.client.host)
                    except RecordError as error:
                        yield SourceLine(location, error=str(error))
                        continue
                    if actor.external_id == self.owner.external_id:
                        continue
                    yield from (SourceLine(location, h) for h in self._describe(actor))
                    # The API does not say when an account favourited or reblogged: the
                    # status's own time stands for it.
                    yield SourceLine(
                        location,
                        InteractionRecord(
                            NETWORK,
                            actor.external_id,
                            self.owner.external_id,
                            kind,
                            post.published_at,
                            post=post.external_id,
                        ),
                    )
        except RequestError as error:
            yield SourceLine(error.url, error=error.reason)


def status_order(status_id: str) -> tuple[int, str]:
    """Statuses' ids sort by age: Mastodon's are numbers (without leading zeros), Pleroma's
    letters of one length."""
    return len(status_id), status_id


def _handle(account: Any, host: str) -> HandleRecord:
    """An account, or a status's mention (which has only id, username, acct and url)."""
    if not isinstance(account, dict):
        raise RecordError("expected an account object")
    account_id = checks.field_text(account, "id")
    if not _ACCOUNT_ID.fullmatch(account_id):
        raise RecordError(f"unexpected account id {account_id!r}")
    acct = checks.field_text(account, "acct")
    username = acct if "@" in acct else f"{acct}@{host}"
    # Account ids are local to each server; user@host names one account everywhere.
    external_id = username.casefold()
    if len(username) > 100 or len(external_id) > 100:
        raise RecordError(f"account {username} has a name longer than 100 characters")
    return HandleRecord(
        network=NETWORK,
        external_id=external_id,
        username=username,
        display_name=checks.field_text(account, "display_name", required=False, limit=200),
        avatar_url=_url(account.get("avatar")),
        profile_url=_url(account.get("url")),
        is_private=account.get("locked") is True,
        followers_count=_count(account, "followers_count"),
    )


def _post(status: Any, owner: HandleRecord) -> PostRecord:
    if not isinstance(status, dict):
        raise RecordError("expected a status object")
    reblog = status.get("reblog")
    if status.get("in_reply_to_id"):
        kind = PostKind.REPLY
    elif reblog:
        kind = PostKind.SHARE
    else:
        kind = PostKind.ORIGINAL
    shown = reblog if isinstance(reblog, dict) else status  # a reblog's text is the original's
    return PostRecord(
        network=NETWORK,
        author=owner.external_id,
        external_id=checks.field_text(status, "id"),
        published_at=_moment(status, "created_at"),
        text=checks.text(_plain_text(shown.get("content")), "content", limit=100_000),
        url=_url(status.get("url") or shown.get("url")),
        kind=kind,
        reported_likes=_count(status, "favourites_count"),
        reported_shares=_count(status, "reblogs_count"),
    )


def _count(data: dict[str, Any], key: str) -> int:
    value = data.get(key, 0)
    # A hidden count is -1 on Mastodon: nothing known, so nothing counted.
    return checks.count(0 if value == -1 else value, key)


def _moment(data: dict[str, Any], key: str) -> datetime:
    value = checks.field_text(data, key)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"{key} is not an ISO 8601 date-time: {value!r}") from None
    if moment.tzinfo is None:
        raise RecordError(f"{key} has no time zone: {value!r}")
    return checks.moment(moment.astimezone(UTC), key)


def _url(value: Any) -> str:
    """`value` if it is a web address that fits the handle and post tables, else ""."""
    if isinstance(value, str) and len(value) <= 500 and is_web_address(value):
        return value
    return ""


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _plain_text(content: Any) -> str:
    """A status's HTML as text: tags dropped, paragraphs and line breaks kept."""
    if not isinstance(content, str):
        return ""
    parser = _PlainText()
    parser.feed(content)
    parser.close()
    return "".join(parser.parts).strip()
