"""What every importer checks of a value before it becomes a record: that the database can
hold it and that it means what it claims. Each failure is a RecordError naming the value, so
that the line is reported as `file:line: reason` and the import goes on or stops cleanly."""

from datetime import UTC, datetime, timedelta

from scoring.ingest.records import RecordError

MAX_COUNT = 2**31 - 1  # the count columns' range
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)  # before any network Sway reads
FUTURE_SKEW = timedelta(days=1)  # clocks that run a little fast


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


def moment(value: datetime, label: str) -> datetime:
    """A time engagement can have happened at: from 1995 to tomorrow."""
    earliest, latest = allowed_seconds()
    if not earliest <= value.timestamp() <= latest:
        raise RecordError(moment_problem(label, value))
    return value


def allowed_seconds() -> tuple[float, float]:
    """The unix times `moment` accepts, for readers that check many at once."""
    return EARLIEST.timestamp(), (datetime.now(UTC) + FUTURE_SKEW).timestamp()


def moment_problem(label: str, value: datetime) -> str:
    return f"{label} is {value:%Y-%m-%d}, outside {EARLIEST:%Y-%m-%d} to tomorrow"
