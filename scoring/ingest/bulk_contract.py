"""What the writer asks of a bulk backend (`Bulk`), and the keys and columns that pass between
them. The writer picks a backend; the backends (bulk_postgres, bulk_django) import this
module, never the writer."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import numpy as np

from scoring.ingest.records import HandleRecord, PostRecord

HandleKey = tuple[str, str]  # (network, the network's id)
PostKey = tuple[int, str]  # (handle id, the network's post id)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

type Int64s = np.ndarray[Any, np.dtype[np.int64]]


@dataclass
class InteractionColumns:
    """Interactions ready to store: handle and post ids resolved (post 0: none), one array
    per column, sorted by time, the primary key's first column, so that index pages fill one
    after another. Time alone: a full lexicographic sort of the key costs a noticeable share
    of an import (docs/PERFORMANCE.md, "Importing signals"), and rows of the same microsecond
    land on the same page anyway."""

    actors: Int64s
    targets: Int64s
    kinds: np.ndarray[Any, np.dtype[np.int16]]
    micros: Int64s  # µs since EPOCH
    posts: Int64s

    def __len__(self) -> int:
        return len(self.actors)

    @classmethod
    def concatenate(cls, parts: list["InteractionColumns"]) -> "InteractionColumns":
        columns = cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in _COLUMNS))
        order = np.argsort(columns.micros, kind="stable")
        return cls(*(getattr(columns, f)[order] for f in _COLUMNS))


_COLUMNS = ("actors", "targets", "kinds", "micros", "posts")


def micros_to_datetime(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def datetime_to_micros(moment: datetime) -> int:
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class Bulk(Protocol):
    def lock_handles(self) -> None:
        """Keep concurrent imports from creating the same handle until this batch commits."""

    def do_not_track(self, network: str, external_ids: set[str]) -> set[str]: ...

    def handle_ids(self, network: str, external_ids: set[str]) -> dict[str, int]: ...

    def handle_people(self, network: str, external_ids: set[str]) -> dict[str, tuple[int, int]]:
        """External id → (handle id, person id) of those of the network's handles that exist."""

    def usernames_taken(self, network: str, keys: list[str]) -> dict[str, str]: ...

    def insert_handles(
        self, handles: list[HandleRecord], unnamed: list[HandleKey]
    ) -> dict[HandleKey, int]:
        """Create the described handles and those known only by id, a person each."""

    def post_ids(self, keys: list[PostKey]) -> dict[PostKey, int]: ...

    def insert_posts(self, rows: list[tuple[int, PostRecord]]) -> dict[PostKey, int]: ...

    def insert_post_topics(self, rows: list[tuple[int, int]]) -> None: ...

    def insert_interactions(self, columns: InteractionColumns) -> int: ...

    def refresh_statistics(self) -> None:
        """After an import: tell the query planner how big the tables have grown."""
