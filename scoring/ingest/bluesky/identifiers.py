"""The AT Protocol's identifiers, as its specification writes them (atproto.com/specs): an
account's DID, its handle, a record's key and a record's at:// address. Each is held to the
columns that keep it, too."""

import re

from scoring.ingest.records import RecordError

MAX_ID = 100  # Handle.external_id, Post.external_id, BlueskyRecord.rkey
MAX_HANDLE = 100  # Handle.username

_DID = re.compile(r"did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]")
_HANDLE = re.compile(
    r"([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
)
_RECORD_KEY = re.compile(r"[A-Za-z0-9._:~-]{1,512}")


def did(value: object, label: str = "did") -> str:
    if not isinstance(value, str) or len(value) > MAX_ID or not _DID.fullmatch(value):
        raise RecordError(f"{label} is not a DID of at most {MAX_ID} characters")
    return value


def handle(value: object) -> str:
    """A handle, lower-cased as the protocol compares them."""
    if not isinstance(value, str) or len(value) > MAX_HANDLE or not _HANDLE.fullmatch(value):
        raise RecordError(f"handle is not a domain name of at most {MAX_HANDLE} characters")
    return value.lower()


def record_key(value: object, label: str = "rkey") -> str:
    if (
        not isinstance(value, str)
        or len(value) > MAX_ID
        or value in {".", ".."}
        or not _RECORD_KEY.fullmatch(value)
    ):
        raise RecordError(f"{label} is not a record key of at most {MAX_ID} characters")
    return value


def record_address(value: object, label: str) -> tuple[str, str, str]:
    """An at://did/collection/rkey address's three parts (the collection unchecked: callers
    compare it with the ones they know)."""
    if not isinstance(value, str) or not value.startswith("at://"):
        raise RecordError(f"{label} is not an at:// address")
    parts = value.removeprefix("at://").split("/")
    if len(parts) != 3:
        raise RecordError(f"{label} does not name one record")
    author, collection, key = parts
    return did(author, label), collection, record_key(key, label)
