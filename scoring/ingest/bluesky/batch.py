"""Writes a batch of Jetstream events and the stream's cursor in one transaction, so that the
database holds every event up to the cursor exactly once, whenever the consumer stops.

In that transaction, under the cursor's lock: events at or before the stored cursor are left
out (a replay); creates that a later event of the batch deletes cancel out; whatever involves
a handle on the do-not-track list is dropped; deletions undo what their record made; new
records become handles, posts and interactions through the importers' writer (COPY on
PostgreSQL) and are kept as BlueskyRecord rows, so that a record seen twice (a replay from
another host) is written once and a later deletion finds it; follows count followers; and
identity events name handles."""

import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from scoring.ingest.bluesky import queries
from scoring.ingest.bluesky.events import (
    NETWORK,
    POST,
    Create,
    Delete,
    Event,
    Identity,
    Key,
    Target,
)
from scoring.ingest.bulk_contract import Bulk, datetime_to_micros
from scoring.ingest.records import HandleRecord, InteractionBlock, SourceLine
from scoring.ingest.writer import SignalWriter, bulk_for_connection
from scoring.lock_objects import stream_cursor_lock
from scoring.models import Handle, Post, username_key

STREAM = "bluesky"
# The writer matches posts with the taxonomy as it was when it was made: make a new one now
# and then, so that topics approved meanwhile match new posts too.
WRITER_LIFETIME_SECONDS = 300.0


@dataclass
class Written:
    events: int = 0  # past the stored cursor
    created: int = 0  # records new here
    deleted: int = 0  # records undone
    skipped: int = 0  # events dropped, or interactions left out, for the do-not-track list


class BatchWriter:
    def __init__(self, stream: str = STREAM):
        self.stream = stream
        self._renew_signals()

    def write(self, events: list[Event], time_us: int) -> Written:
        """Write the events and move the cursor to `time_us` (that of the last event the
        stream gave, kept or not), in one transaction."""
        if time.monotonic() - self._signals_made > WRITER_LIFETIME_SECONDS:
            self._renew_signals()
        try:
            with transaction.atomic():
                return self._write(events, time_us)
        except BaseException:
            # The writer remembers the handles it made, and they were rolled back.
            self._renew_signals()
            raise

    def _renew_signals(self) -> None:
        self._signals = SignalWriter(unknown_posts_unlinked=True)
        self._signals_made = time.monotonic()

    def _write(self, events: list[Event], time_us: int) -> Written:
        queries.commit_without_waiting_for_the_disk()
        cursor = stream_cursor_lock(self.stream)
        written = Written()
        if time_us <= cursor.time_us:
            return written
        fresh = [event for event in events if event.time_us > cursor.time_us]
        written.events = len(fresh)
        creates, deletes, names = _sorted(fresh)
        blocked = _do_not_track(self._signals.bulk, creates, names)
        creates, written.skipped = _without_blocked(creates, blocked)
        names = [name for name in names if name.did not in blocked]
        written.deleted = _undo(self._signals.bulk, deletes)
        written.created = self._create(creates, names)
        name_accounts(names)
        cursor.time_us = time_us
        cursor.save(update_fields=["time_us", "updated_at"])
        return written

    def _create(self, creates: list[Create], names: list[Identity]) -> int:
        replayed = queries.keep_records([_kept(create) for create in creates])
        if replayed:
            creates = [create for create in creates if create.key not in replayed]
        described = {create.followed for create in creates if create.followed}
        described |= {name.did for name in names}
        lines = [
            SourceLine(f"at://{did}", HandleRecord(NETWORK, did, "")) for did in sorted(described)
        ]
        lines += (SourceLine(create.key.address, create.post) for create in creates if create.post)
        engaged = [(create, target) for create in creates for target in create.targets]
        if engaged:
            lines.append(SourceLine(engaged[0][0].key.address, _interactions(engaged)))
        if lines:
            self._signals.write(lines)
        followed = Counter(create.followed for create in creates if create.followed)
        queries.count_followers(followed, sign=1)
        return len(creates)


def _sorted(events: list[Event]) -> tuple[list[Create], list[Delete], list[Identity]]:
    """The batch's creates, but those a later event of the batch deletes; its deletes; its
    identity events, in order."""
    creates: dict[Key, Create] = {}
    deletes: list[Delete] = []
    names: list[Identity] = []
    for event in events:
        if isinstance(event, Create):
            creates[event.key] = event
        elif isinstance(event, Delete):
            creates.pop(event.key, None)
            deletes.append(event)
        elif isinstance(event, Identity):
            names.append(event)
    return list(creates.values()), deletes, names


def _do_not_track(bulk: Bulk, creates: list[Create], names: list[Identity]) -> set[str]:
    dids = {create.key.did for create in creates}
    dids |= {create.followed for create in creates if create.followed}
    dids |= {target.did for create in creates for target in create.targets}
    dids |= {name.did for name in names}
    return bulk.do_not_track(NETWORK, dids)


def _without_blocked(creates: list[Create], blocked: set[str]) -> tuple[list[Create], int]:
    """The creates without whatever involves a blocked account: a post keeps its row when
    only some of the accounts it replies to, quotes or mentions are blocked. And how many
    events or interactions were left out."""
    if not blocked:
        return creates, 0
    kept, dropped = [], 0
    for create in creates:
        targets = [target for target in create.targets if target.did not in blocked]
        dropped += len(create.targets) - len(targets)
        if create.key.did in blocked or create.followed in blocked:
            dropped += 1
        elif targets or create.post or create.followed:
            create.targets = targets
            kept.append(create)
    return kept, dropped


def _kept(create: Create) -> queries.KeptRecord:
    """What the record makes, kept for its deletion."""
    key = create.key
    made: list[list[str | int]] = [[target.did, target.kind] for target in create.targets]
    return queries.KeptRecord(
        key.did, key.collection, key.rkey, create.occurred_at, made, create.followed
    )


def _interactions(engaged: list[tuple[Create, Target]]) -> InteractionBlock:
    """The interactions the records make, as one block of columns."""
    return InteractionBlock.of_ids(
        NETWORK,
        actors=[create.key.did for create, _ in engaged],
        targets=[target.did for _, target in engaged],
        kinds=np.fromiter((target.kind for _, target in engaged), np.int16, len(engaged)),
        micros=np.fromiter(
            (datetime_to_micros(create.occurred_at) for create, _ in engaged),
            np.int64,
            len(engaged),
        ),
        posts=[target.post for _, target in engaged],
    )


def _undo(bulk: Bulk, deletes: list[Delete]) -> int:
    """Remove what the deleted records made; how many records Sway had."""
    records = queries.take_records([d.key for d in deletes])
    dids = {d.key.did for d in deletes}
    dids |= {str(target) for r in records for target, _ in r.interactions}
    ids = bulk.handle_ids(NETWORK, dids)
    # A post goes even without its record row: the backfill reads posts, not their records.
    posts = [
        (ids[d.key.did], d.key.rkey)
        for d in deletes
        if d.key.collection == POST and d.key.did in ids
    ]
    if posts:
        Post.objects.filter(pk__in=bulk.post_ids(posts).values()).delete()
    queries.delete_interactions(
        [
            (r.occurred_at, ids[r.did], ids[str(target)], int(kind))
            for r in records
            for target, kind in r.interactions
            if r.did in ids and target in ids
        ]
    )
    queries.count_followers(Counter(r.followed for r in records if r.followed), sign=-1)
    return len(records)


def name_accounts(names: list[Identity]) -> None:
    """Give each account the handle its last identity event names; a handle that moved to
    another account in the same batch goes to the last that took it."""
    final: dict[str, str] = {}
    owner: dict[str, str] = {}
    for name in names:
        if owner.get(final.get(name.did, "")) == name.did:
            del owner[final[name.did]]
        if name.handle:
            previous = owner.get(name.handle)
            if previous is not None:
                final[previous] = ""
            owner[name.handle] = name.did
        final[name.did] = name.handle
    if not final:
        return
    # Asked apart: in one OR, PostgreSQL reads the usernames through their trigram index,
    # which for *.bsky.social names matches nearly every handle (0.7 s for 50 names).
    holders = bulk_for_connection().usernames_taken(
        NETWORK, [username_key(handle) for handle in owner]
    )
    Handle.objects.filter(network=NETWORK, external_id__in={*final, *holders.values()}).update(
        username="", username_key=""
    )
    queries.name_handles({did: handle for did, handle in final.items() if handle})
