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
from collections.abc import Iterable
from dataclasses import dataclass

import orjson
from django.db import connection, transaction
from django.db.models import Q

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
from scoring.ingest.bulk_contract import Bulk
from scoring.ingest.bulk_postgres import copy_rows
from scoring.ingest.records import HandleRecord, InteractionRecord, SourceLine
from scoring.ingest.writer import SignalWriter, bulk_for_connection
from scoring.lock_objects import stream_cursor_lock
from scoring.models import BlueskyRecord, Handle, Interaction, Post, username_key

STREAM = "bluesky"
# The writer matches posts with the taxonomy as it was when it was made: make a new one now
# and then, so that topics approved meanwhile match new posts too.
WRITER_LIFETIME_SECONDS = 300.0
RECORD_FIELDS = ("did", "collection", "rkey", "occurred_at", "interactions", "followed")


@dataclass
class Written:
    events: int = 0  # past the stored cursor
    created: int = 0  # records new here
    deleted: int = 0  # records undone
    skipped: int = 0  # events dropped, or interactions left out, for the do-not-track list


class BatchWriter:
    def __init__(self, stream: str = STREAM):
        self.stream = stream
        self._signals = SignalWriter()
        self._signals_made = time.monotonic()

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
        self._signals = SignalWriter()
        self._signals_made = time.monotonic()

    def _write(self, events: list[Event], time_us: int) -> Written:
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
        kept = queries.records([create.key for create in creates])
        known = {Key(r.did, r.collection, r.rkey) for r in kept}
        creates = [create for create in creates if create.key not in known]
        described = {create.followed for create in creates if create.followed}
        described |= {name.did for name in names}
        lines = [
            SourceLine(f"at://{did}", HandleRecord(NETWORK, did, "")) for did in sorted(described)
        ]
        lines += (SourceLine(create.key.address, create.post) for create in creates if create.post)
        linked = _posts_known(self._signals.bulk, creates)
        lines += (
            SourceLine(create.key.address, _interaction(create, target, linked))
            for create in creates
            for target in create.targets
        )
        if lines:
            self._signals.write(lines)
        _keep_records(creates)
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


def _keep_records(creates: list[Create]) -> None:
    """Note what each record made, for its deletion: by COPY on PostgreSQL (bulk_create
    took a second for 5,000 records)."""
    rows = [
        (
            create.key.did,
            create.key.collection,
            create.key.rkey,
            create.occurred_at,
            [[target.did, target.kind] for target in create.targets],
            create.followed,
        )
        for create in creates
    ]
    if connection.vendor == "postgresql":
        copy_rows(
            "scoring_blueskyrecord",
            ", ".join(RECORD_FIELDS),
            ((*row[:4], orjson.dumps(row[4]).decode(), row[5]) for row in rows),
        )
    else:
        BlueskyRecord.objects.bulk_create(
            BlueskyRecord(**dict(zip(RECORD_FIELDS, row, strict=True))) for row in rows
        )


def _posts_known(bulk: Bulk, creates: list[Create]) -> set[tuple[str, str]]:
    """Of the posts the creates engage with, (author, record key) of those Sway has or that
    the batch writes; engagement with another is kept without its post."""
    wanted = {(t.did, t.post) for create in creates for t in create.targets if t.post}
    ids = bulk.handle_ids(NETWORK, {did for did, _ in wanted})
    found = bulk.post_ids([(ids[did], rkey) for did, rkey in wanted if did in ids])
    dids = {handle_id: did for did, handle_id in ids.items()}
    known = {(dids[handle_id], rkey) for handle_id, rkey in found}
    return known | ({(c.key.did, c.key.rkey) for c in creates if c.post} & wanted)


def _interaction(create: Create, target: Target, linked: set[tuple[str, str]]) -> InteractionRecord:
    post = target.post if (target.did, target.post) in linked else None
    return InteractionRecord(
        NETWORK, create.key.did, target.did, target.kind, create.occurred_at, post
    )


def _undo(bulk: Bulk, deletes: list[Delete]) -> int:
    """Remove what the deleted records made; how many records Sway had."""
    records = queries.records([d.key for d in deletes])
    dids = {d.key.did for d in deletes}
    dids |= {target for r in records for target, _ in r.interactions}
    ids = bulk.handle_ids(NETWORK, dids)
    # A post goes even without its record row: the backfill reads posts, not their records.
    posts = {
        (ids[d.key.did], d.key.rkey)
        for d in deletes
        if d.key.collection == POST and d.key.did in ids
    }
    if posts:
        Post.objects.filter(
            handle_id__in={h for h, _ in posts}, external_id__in={e for _, e in posts}
        ).filter(_pairs(posts)).delete()
    made = [
        (r.occurred_at, ids[r.did], ids[target], kind)
        for r in records
        for target, kind in r.interactions
        if r.did in ids and target in ids
    ]
    if made:
        Interaction.objects.filter(pk__in=made).delete()
    queries.count_followers(Counter(r.followed for r in records if r.followed), sign=-1)
    BlueskyRecord.objects.filter(pk__in=[r.pk for r in records]).delete()
    return len(records)


def _pairs(posts: Iterable[tuple[int, str]]) -> Q:
    found = Q(pk__in=[])
    for handle_id, rkey in posts:
        found |= Q(handle_id=handle_id, external_id=rkey)
    return found


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
    handles = list(Handle.objects.filter(network=NETWORK, external_id__in=final))
    for handle in handles:
        handle.username = final[handle.external_id]
        handle.username_key = username_key(handle.username)
    Handle.objects.bulk_update(handles, ["username", "username_key"], batch_size=1000)
