"""An X/Twitter "download your archive" export: the .zip, or its data/tweets.js with
account.js beside it. Each data file is JavaScript, `window.YTD.<name>.partN = <JSON list>`.

The owner's tweets become posts; their replies and mentions become interactions from the
owner. Large archives split tweets into tweets-part1.js, tweets-part2.js, … which are read
one after another, one file's list in memory at a time."""

import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol, TypeGuard

from scoring.ingest import checks
from scoring.ingest.checks import MAX_COUNT
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
from scoring.models import InteractionKind, PostKind

_PREFIX = re.compile(rb"\s*window\.YTD\.(\w+)\.part\d+\s*=\s*")
_HEAD_BYTES = 64  # enough to hold the prefix
_BOM = b"\xef\xbb\xbf"
_TWEETS_FILE = re.compile(r"tweets(?:-part(\d+))?\.js")
_CREATED_AT = "%a %b %d %H:%M:%S %z %Y"  # "Wed Oct 10 20:19:24 +0000 2018"
MAX_DATA_FILE_BYTES = 512 * 2**20  # one data file, read whole: X splits tweets into parts
MAX_RATIO = 100  # JSON deflates 5 to 15 times; a bomb, hundreds to millions
_SMALL = 2**20  # below this, any ratio is harmless


class _DataFolder(Protocol):
    """The archive's data/ folder, in a zip or on disk."""

    def names(self) -> list[str]: ...

    def open(self, name: str) -> AbstractContextManager[IO[bytes]]: ...

    def location(self, name: str) -> str: ...


@dataclass(frozen=True)
class _ZipFolder:
    path: Path

    def names(self) -> list[str]:
        with zipfile.ZipFile(self.path) as archive:
            return [n.removeprefix("data/") for n in archive.namelist() if n.startswith("data/")]

    def check_sizes(self) -> None:
        """Refuse, before reading anything, a data file that would unpack past the limit or
        that is a zip bomb."""
        with zipfile.ZipFile(self.path) as archive:
            for info in archive.infolist():
                size, packed = info.file_size, max(info.compress_size, 1)
                if info.filename.startswith("data/") and (
                    size > MAX_DATA_FILE_BYTES or (size > _SMALL and size > MAX_RATIO * packed)
                ):
                    raise SourceError(
                        f"{self.path}: {info.filename} unpacks to {size / 2**20:.0f} MB from "
                        f"{packed / 2**10:.0f} KB, past what an archive's data file may be "
                        f"({MAX_DATA_FILE_BYTES // 2**20} MB, {MAX_RATIO} times its packed size)"
                    )

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        with zipfile.ZipFile(self.path) as archive, archive.open(f"data/{name}") as member:
            yield member

    def location(self, name: str) -> str:
        return f"{self.path}/data/{name}"


@dataclass(frozen=True)
class _DiskFolder:
    path: Path

    def names(self) -> list[str]:
        return [child.name for child in self.path.iterdir()]

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        with (self.path / name).open("rb") as file:
            yield file

    def location(self, name: str) -> str:
        return str(self.path / name)


def read(path: Path, network: str) -> Source:
    """Check now that `path` is an archive (SourceError if not); read its tweets lazily."""
    try:
        if zipfile.is_zipfile(path):
            archive = _ZipFolder(path)
            archive.check_sizes()
            folder: _DataFolder = archive
            tweet_files = _tweet_files(folder.names())
            if tweet_files[:1] != ["tweets.js"]:
                raise SourceError(f"{path} has no data/tweets.js: not an X/Twitter archive")
        else:
            folder, tweet_files = _DiskFolder(path.parent), [path.name]
        for name in tweet_files:
            _check_head(folder, name)
        owner = _owner(folder, network)
    except zipfile.BadZipFile as error:
        raise SourceError(f"{path} is a damaged zip: {error}") from None
    return _lines(folder, tweet_files, owner)


def _tweet_files(names: list[str]) -> list[str]:
    """tweets.js, then its parts in number order."""
    numbered = [(int(m[1] or 0), m[0]) for m in map(_TWEETS_FILE.fullmatch, names) if m]
    return [name for _, name in sorted(numbered)]


def _check_head(folder: _DataFolder, name: str) -> None:
    with folder.open(name) as file:
        head = file.read(_HEAD_BYTES).removeprefix(_BOM)
    prefix = _PREFIX.match(head)
    if prefix is None or prefix[1] != b"tweets":
        raise SourceError(
            f"{folder.location(name)} does not start with 'window.YTD.tweets.part0 =': "
            "give an X/Twitter archive .zip or its data/tweets.js"
        )


def _load(folder: _DataFolder, name: str, expected: str) -> list[Any]:
    """The JSON list of one data file; RecordError if it is not one."""
    try:
        with folder.open(name) as file:
            data = file.read(MAX_DATA_FILE_BYTES + 1).removeprefix(_BOM)
    except zipfile.BadZipFile as error:
        raise RecordError(f"damaged in the zip: {error}") from None
    if len(data) > MAX_DATA_FILE_BYTES:  # more than its zip entry said, or not in a zip
        raise RecordError(f"unpacks to more than {MAX_DATA_FILE_BYTES:,} bytes")
    prefix = _PREFIX.match(data)
    if prefix is None or prefix[1] != expected.encode():
        raise RecordError(f"does not start with 'window.YTD.{expected}.partN ='")
    try:
        value, _ = json.JSONDecoder().raw_decode(data[prefix.end() :].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RecordError(f"not valid JSON after the prefix: {error}") from None
    if not isinstance(value, list):
        raise RecordError("expected a JSON list after the prefix")
    return value


def _owner(folder: _DataFolder, network: str) -> HandleRecord:
    location = folder.location("account.js")
    if "account.js" not in folder.names():
        raise SourceError(f"no {location}: without it the archive's owner is unknown")
    try:
        entries = _load(folder, "account.js", "account")
        account = _unwrap(entries[0] if entries else None, "account")
        username = checks.field_text(account, "username")
        return HandleRecord(
            network=network,
            external_id=_id(account, "accountId"),
            username=username,
            display_name=checks.field_text(
                account, "accountDisplayName", required=False, limit=200
            ),
            profile_url=f"https://x.com/{username}",
        )
    except RecordError as error:
        raise SourceError(f"{location}: {error}") from None


def _lines(folder: _DataFolder, tweet_files: list[str], owner: HandleRecord) -> Source:
    yield SourceLine(folder.location("account.js"), owner)
    described = {owner.external_id}  # handles already given, so that each is given once
    for name in tweet_files:
        try:
            entries = _load(folder, name, "tweets")
        except RecordError as error:
            yield SourceLine(folder.location(name), error=str(error))
            continue
        for index, entry in enumerate(entries):
            location = f"{folder.location(name)}#tweet {index}"
            try:
                records = _tweet_records(_unwrap(entry, "tweet"), owner, described)
            except RecordError as error:
                yield SourceLine(location, error=str(error))
                continue
            for record in records:
                yield SourceLine(location, record)
        del entries  # before the next file is loaded, not after


def _tweet_records(tweet: dict[str, Any], owner: HandleRecord, described: set[str]) -> list[Record]:
    post = _post(tweet, owner)
    others = _others(tweet, owner)
    records: list[Record] = [post]
    for handle in others.values():
        if handle.external_id not in described:
            described.add(handle.external_id)
            records.append(handle)
    replied_to = tweet.get("in_reply_to_user_id_str")
    shared = _retweeted_username(post)
    for user_id, handle in others.items():
        if user_id == replied_to:
            kind = InteractionKind.REPLY
        elif handle.username.casefold() == shared:
            kind = InteractionKind.SHARE  # "RT @name: …": the owner shared name's post
        else:
            kind = InteractionKind.MENTION
        records.append(
            InteractionRecord(owner.network, owner.external_id, user_id, kind, post.published_at)
        )
    return records


def _retweeted_username(post: PostRecord) -> str | None:
    if post.kind != PostKind.SHARE:
        return None
    return post.text.removeprefix("RT @").split(":", 1)[0].casefold()


def _post(tweet: dict[str, Any], owner: HandleRecord) -> PostRecord:
    tweet_id = _id(tweet, "id_str")
    text = checks.field_text(tweet, "full_text", required=False, limit=100_000)
    if tweet.get("in_reply_to_status_id_str"):
        kind = PostKind.REPLY
    elif text.startswith("RT @"):
        kind = PostKind.SHARE
    else:
        kind = PostKind.ORIGINAL
    return PostRecord(
        network=owner.network,
        author=owner.external_id,
        external_id=tweet_id,
        published_at=_created_at(tweet),
        text=text,
        url=f"https://x.com/{owner.username}/status/{tweet_id}",
        kind=kind,
        reported_likes=_count(tweet, "favorite_count"),
        reported_shares=_count(tweet, "retweet_count"),
    )


def _others(tweet: dict[str, Any], owner: HandleRecord) -> dict[str, HandleRecord]:
    """The users this tweet replies to or mentions, by id, without the owner."""
    others: dict[str, HandleRecord] = {}
    reply_to = tweet.get("in_reply_to_user_id_str")
    reply_name = tweet.get("in_reply_to_screen_name")
    if _is_id(reply_to) and isinstance(reply_name, str) and reply_name:
        others[reply_to] = HandleRecord(owner.network, reply_to, username=reply_name)
    entities = tweet.get("entities") or {}
    for mention in entities.get("user_mentions") or []:
        if not isinstance(mention, dict):
            raise RecordError("entities.user_mentions holds a non-object")
        user_id = mention.get("id_str")
        if not _is_id(user_id):  # "-1": a user who has gone since
            continue
        others[user_id] = HandleRecord(
            owner.network,
            user_id,
            username=checks.field_text(mention, "screen_name"),
            display_name=checks.field_text(mention, "name", required=False, limit=200),
        )
    others.pop(owner.external_id, None)
    return others


def _unwrap(entry: Any, name: str) -> dict[str, Any]:
    """The object in a data file's `{name: {…}}` entry."""
    if not (isinstance(entry, dict) and isinstance(entry.get(name), dict)):
        raise RecordError(f"expected an object {{{name!r}: {{…}}}}")
    return entry[name]


def _is_id(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and value.isascii() and value.isdigit() and value != "0"


def _id(data: dict[str, Any], key: str) -> str:
    value = checks.field_text(data, key, limit=30)
    if not _is_id(value):
        raise RecordError(f"{key} is not a numeric id: {value!r}")
    return value


def _count(data: dict[str, Any], key: str) -> int:
    value = str(data.get(key, "0"))
    if not (value.isascii() and value.isdigit() and int(value) <= MAX_COUNT):
        raise RecordError(f"{key} is not a whole number from 0 to {MAX_COUNT:,}: {value[:30]!r}")
    return int(value)


def _created_at(tweet: dict[str, Any]) -> datetime:
    value = checks.field_text(tweet, "created_at")
    try:
        moment = datetime.strptime(value, _CREATED_AT).astimezone(UTC)
    except ValueError:
        raise RecordError(
            f"created_at {value!r} is not like 'Wed Oct 10 20:19:24 +0000 2018'"
        ) from None
    return checks.moment(moment, "created_at")
