"""Sway's own format, one JSON object a line (documented in docs/IMPORT.md)."""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoring.ingest import checks
from scoring.ingest.records import (
    HandleRecord,
    InteractionRecord,
    PostRecord,
    Record,
    RecordError,
    Source,
    SourceLine,
)
from scoring.models import InteractionKind, Network, PostKind

INTERACTION_KINDS = {kind.label: kind for kind in InteractionKind}


def read(path: Path, network: str | None) -> Source:
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            location = f"{path}:{number}"
            try:
                yield SourceLine(location, parse(line, network))
            except RecordError as error:
                yield SourceLine(location, error=str(error))


def parse(line: str, default_network: str | None) -> Record:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise RecordError(f"not JSON: {error.msg} at column {error.colno}") from None
    except RecursionError:
        raise RecordError("not JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise RecordError("expected a JSON object")
    fields = _Fields(data)
    kind = fields.text("type")
    parser = _PARSERS.get(kind)
    if parser is None:
        raise RecordError(f"unknown type {kind!r} (expected handle, post or interaction)")
    network = fields.text("network", default_network)
    if network not in Network.values:
        raise RecordError(f"unknown network {network!r}")
    record = parser(fields, network)
    fields.reject_unknown()
    return record


class _Fields:
    """Typed access to one line's fields, each failure a RecordError naming the field."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.used = {"type", "network"}

    def _get(self, name: str, default: Any) -> Any:
        self.used.add(name)
        value = self.data.get(name, default)
        if value is _REQUIRED:
            raise RecordError(f"missing field {name!r}")
        return value

    def text(self, name: str, default: Any = None, *, limit: int = 100) -> str:
        value = self._get(name, _REQUIRED if default is None else default)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # numeric ids are fine
        if not isinstance(value, str):
            raise RecordError(f"field {name!r} must be a string")
        return checks.text(value, f"field {name!r}", limit=limit)

    def id(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise RecordError(f"field {name!r} is empty")
        return value

    def count(self, name: str) -> int:
        return checks.count(self._get(name, 0), f"field {name!r}")

    def flag(self, name: str) -> bool:
        value = self._get(name, False)
        if not isinstance(value, bool):
            raise RecordError(f"field {name!r} must be true or false")
        return value

    def moment(self, name: str) -> datetime:
        value = self.text(name)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise RecordError(f"field {name!r} is not an ISO 8601 date-time: {value!r}") from None
        if moment.tzinfo is None:
            raise RecordError(f"field {name!r} needs a time zone, e.g. {value}Z")
        try:
            return checks.moment(moment.astimezone(UTC), f"field {name!r}")
        except OverflowError:
            raise RecordError(f"field {name!r} is out of range: {value!r}") from None

    def slugs(self, name: str) -> tuple[str, ...]:
        value = self._get(name, [])
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            raise RecordError(f"field {name!r} must be a list of topic slugs")
        return tuple(value)

    def reject_unknown(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise RecordError(f"unknown field(s): {', '.join(unknown)}")


_REQUIRED = object()


def _handle(fields: _Fields, network: str) -> HandleRecord:
    return HandleRecord(
        network=network,
        external_id=fields.id("id"),
        username=fields.id("username").removeprefix("@"),
        display_name=fields.text("display_name", "", limit=200),
        avatar_url=fields.text("avatar_url", "", limit=500),
        profile_url=fields.text("profile_url", "", limit=500),
        is_private=fields.flag("private"),
        followers_count=fields.count("followers_count"),
    )


def _post(fields: _Fields, network: str) -> PostRecord:
    kind = fields.text("kind", PostKind.ORIGINAL)
    if kind not in PostKind.values:
        raise RecordError(f"unknown post kind {kind!r} (expected original, reply or share)")
    return PostRecord(
        network=network,
        author=fields.id("author"),
        external_id=fields.id("id"),
        published_at=fields.moment("published_at"),
        text=fields.text("text", "", limit=100_000),
        url=fields.text("url", "", limit=500),
        kind=kind,
        reported_likes=fields.count("likes"),
        reported_shares=fields.count("shares"),
        topics=fields.slugs("topics"),
    )


def _interaction(fields: _Fields, network: str) -> InteractionRecord:
    kind_name = fields.text("kind")
    if kind_name not in INTERACTION_KINDS:
        expected = ", ".join(INTERACTION_KINDS)
        raise RecordError(f"unknown interaction kind {kind_name!r} (expected {expected})")
    post = fields.text("post", "")
    return InteractionRecord(
        network=network,
        actor=fields.id("actor"),
        target=fields.id("target"),
        kind=INTERACTION_KINDS[kind_name],
        occurred_at=fields.moment("occurred_at"),
        post=post or None,
    )


_PARSERS: dict[str, Callable[[_Fields, str], Record]] = {
    "handle": _handle,
    "post": _post,
    "interaction": _interaction,
}
