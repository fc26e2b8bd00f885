"""What every importer checks of a value before it becomes a record: that the database can
hold it and that it means what it claims. Each failure is a RecordError naming the value, so
that the line is reported as `file:line: reason` and the import goes on or stops cleanly."""

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from scoring.ingest.records import RecordError

MAX_COUNT = 2**31 - 1  # the count columns' range
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)  # before any network Sway reads
FUTURE_SKEW = timedelta(days=1)  # clocks that run a little fast
EARLIEST_SECONDS = EARLIEST.timestamp()
FUTURE_SKEW_SECONDS = FUTURE_SKEW.total_seconds()


def text(value: str, label: str, *, limit: int) -> str:
    if "\x00" in value:
        raise RecordError(f"{label} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        where = error.start + 1
        raise RecordError(f"{label} holds a lone surrogate at character {where}") from None
    if len(value) > limit:
        raise RecordError(f"{label} is longer than {limit} characters")
    return value


def field_text(data: dict[str, Any], key: str, *, required: bool = True, limit: int = 100) -> str:
    """A JSON object's text field, checked as `text`: "" when it may be absent or null."""
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise RecordError(f"missing {key}")
    return text(value, key, limit=limit)


def count(value: object, label: str) -> int:
    """A JSON number that counts something: a whole number the count columns hold."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
        raise RecordError(f"{label} must be a whole number from 0 to {MAX_COUNT:,}")
    return value


def moment(value: datetime, label: str) -> datetime:
    """A time engagement can have happened at: from 1995 to tomorrow."""
    earliest, latest = allowed_seconds()
    if not earliest <= value.timestamp() <= latest:
        raise RecordError(moment_problem(label, value))
    return value


def allowed_seconds() -> tuple[float, float]:
    """The unix times `moment` accepts, for readers that check many at once."""
    return EARLIEST_SECONDS, time.time() + FUTURE_SKEW_SECONDS


def moment_problem(label: str, value: datetime) -> str:
    return f"{label} is {value:%Y-%m-%d}, outside {EARLIEST:%Y-%m-%d} to tomorrow"
