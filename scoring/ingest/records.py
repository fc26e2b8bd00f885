"""What every reader produces, whatever the source: handles, posts and interactions, each
naming handles and posts by the network's own ids; and the errors readers raise."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from marketplace.text import is_web_address, single_line
from scoring.models import InteractionKind, PostKind


class RecordError(ValueError):
    """A source line that cannot become a record; the message says why, for a person."""


class SourceError(ValueError):
    """A source that cannot be read at all: the command line names none, or the file, archive
    or account it names is missing or unreadable. The message says why, for a person."""


def require_web_address(value: str, label: str) -> None:
    """Links Sway renders are http(s) only: never `javascript:`, `data:` or the like."""
    if value and not is_web_address(value):
        raise RecordError(f"{label} must be an http(s) address")


@dataclass(slots=True)
class HandleRecord:
    network: str
    external_id: str
    username: str
    display_name: str = ""
    avatar_url: str = ""
    profile_url: str = ""
    is_private: bool = False
    followers_count: int = 0

    def __post_init__(self) -> None:
        self.display_name = single_line(self.display_name)
        require_web_address(self.avatar_url, "avatar_url")
        require_web_address(self.profile_url, "profile_url")


@dataclass(slots=True)
class PostRecord:
    network: str
    author: str  # the handle's external id
    external_id: str
    published_at: datetime
    text: str = ""
    url: str = ""
    kind: str = PostKind.ORIGINAL
    reported_likes: int = 0
    reported_shares: int = 0
    topics: tuple[str, ...] = field(default=())  # topic slugs

    def __post_init__(self) -> None:
        require_web_address(self.url, "url")


@dataclass(slots=True)
class InteractionRecord:
    network: str
    actor: str  # external ids of the two handles
    target: str
    kind: InteractionKind
    occurred_at: datetime
    post: str | None = None  # external id of one of the target's posts


type Positions = np.ndarray[Any, np.dtype[np.int64]]


@dataclass(slots=True)
class InteractionBlock:
    """Many interactions of one network, column by column, from consecutive source lines:
    how big files travel, so that no Python object is made per interaction. Each handle is
    named once, in `handles` (the network's ids); `actors` and `targets` are positions in it."""

    network: str
    handles: list[str]
    actors: Positions
    targets: Positions
    kinds: np.ndarray[Any, np.dtype[np.int16]]
    micros: np.ndarray[Any, np.dtype[np.int64]]  # occurred_at: µs since the Unix epoch, UTC
    posts: list[str] | None = None  # the target's post each is about ("" for none)
    # `handles` as integers, when the reader has them so (every one a plain number): the
    # writer then looks them up by NumPy (scoring.ingest.known_handles).
    numbers: np.ndarray[Any, np.dtype[np.int64]] | None = None

    @classmethod
    def of_ids(
        cls,
        network: str,
        actors: Sequence[str],
        targets: Sequence[str],
        kinds: np.ndarray[Any, np.dtype[np.int16]],
        micros: np.ndarray[Any, np.dtype[np.int64]],
        posts: list[str] | None = None,
    ) -> "InteractionBlock":
        """The block of interactions whose handles are given by id, row by row."""
        positions: dict[str, int] = {}

        def numbered(ids: Sequence[str]) -> Positions:
            return np.fromiter(
                (positions.setdefault(i, len(positions)) for i in ids), np.int64, len(ids)
            )

        actor_positions, target_positions = numbered(actors), numbered(targets)
        return cls(
            network, list(positions), actor_positions, target_positions, kinds, micros, posts
        )

    def __len__(self) -> int:
        return len(self.actors)

    def actor_ids(self) -> list[str]:
        return [self.handles[i] for i in self.actors.tolist()]

    def target_ids(self) -> list[str]:
        return [self.handles[i] for i in self.targets.tolist()]


Record = HandleRecord | PostRecord | InteractionRecord | InteractionBlock


@dataclass(slots=True)
class SourceLine:
    """A record, or the reason there is none, and where in the source it came from."""

    location: str  # "path:line" (a block's first line), or a URL for connectors
    record: Record | None = None
    error: str = ""

    @property
    def size(self) -> int:
        """How many source lines this stands for."""
        return len(self.record) if isinstance(self.record, InteractionBlock) else 1


Source = Iterator[SourceLine]
