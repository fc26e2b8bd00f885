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

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest

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
from scoring.ingest.records import HandleRecord, InteractionRecord, SourceLine
from scoring.ingest.writer import SignalWriter
from scoring.lock_objects import stream_cursor_lock
from scoring.models import BlueskyRecord, DoNotTrack, Handle, Interaction, Post, username_key

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
        blocked = _do_not_track(creates, names)
        creates, written.skipped = _without_blocked(creates, blocked)
        names = [name for name in names if name.did not in blocked]
        written.deleted = _undo(deletes)
        written.created = self._create(creates, names)
        _name(names)
        cursor.time_us = time_us
        cursor.save(update_fields=["time_us", "updated_at"])
        return written

    def _create(self, creates: list[Create], names: list[Identity]) -> int:
        known = _records_known([create.key for create in creates])
        creates = [create for create in creates if create.key not in known]
        described = {create.followed for create in creates if create.followed}
        described |= {name.did for name in names}
        lines = [
            SourceLine(f"at://{did}", HandleRecord(NETWORK, did, "")) for did in sorted(described)
        ]
        lines += (SourceLine(create.key.address, create.post) for create in creates if create.post)
        linked = _posts_known(creates)
        lines += (
            SourceLine(create.key.address, _interaction(create, target, linked))
            for create in creates
            for target in create.targets
        )
        if lines:
            self._signals.write(lines)
        BlueskyRecord.objects.bulk_create(
            BlueskyRecord(
                did=create.key.did,
                collection=create.key.collection,
                rkey=create.key.rkey,
                occurred_at=create.occurred_at,
                interactions=[[target.did, target.kind] for target in create.targets],
                followed=create.followed,
            )
            for create in creates
        )
        _count_followers(Counter(create.followed for create in creates if create.followed), sign=1)
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


def _do_not_track(creates: list[Create], names: list[Identity]) -> set[str]:
    dids = {create.key.did for create in creates}
    dids |= {create.followed for create in creates if create.followed}
    dids |= {target.did for create in creates for target in create.targets}
    dids |= {name.did for name in names}
    listed = DoNotTrack.objects.filter(network=NETWORK, external_id__in=dids)
    return set(listed.values_list("external_id", flat=True))


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


def _records_known(keys: list[Key]) -> set[Key]:
    """Those of the records already written (a replay, from another host perhaps)."""
    rows = BlueskyRecord.objects.filter(pk__in=[(k.did, k.collection, k.rkey) for k in keys])
    return {Key(*row) for row in rows.values_list("did", "collection", "rkey")}


def _posts_known(creates: list[Create]) -> set[tuple[str, str]]:
    """Of the posts the creates engage with, (author, record key) of those Sway has or that
    the batch writes; engagement with another is kept without its post."""
    wanted = {(t.did, t.post) for create in creates for t in create.targets if t.post}
    found = _posts(wanted)
    found |= {(c.key.did, c.key.rkey) for c in creates if c.post} & wanted
    return found


def _posts(keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Those of these (author, record key) posts that Sway has."""
    if not keys:
        return set()
    rows = Post.objects.filter(
        handle__network=NETWORK,
        handle__external_id__in={did for did, _ in keys},
        external_id__in={rkey for _, rkey in keys},
    ).values_list("handle__external_id", "external_id")
    return set(rows) & keys


def _interaction(create: Create, target: Target, linked: set[tuple[str, str]]) -> InteractionRecord:
    post = target.post if (target.did, target.post) in linked else None
    return InteractionRecord(
        NETWORK, create.key.did, target.did, target.kind, create.occurred_at, post
    )


def _undo(deletes: list[Delete]) -> int:
    """Remove what the deleted records made; how many records Sway had."""
    keys = [(d.key.did, d.key.collection, d.key.rkey) for d in deletes]
    records = list(BlueskyRecord.objects.filter(pk__in=keys))
    dids = {d.key.did for d in deletes}
    dids |= {target for r in records for target, _ in r.interactions}
    ids = _handle_ids(dids)
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
    _count_followers(Counter(r.followed for r in records if r.followed), sign=-1)
    BlueskyRecord.objects.filter(pk__in=[r.pk for r in records]).delete()
    return len(records)


def _pairs(posts: Iterable[tuple[int, str]]) -> Q:
    found = Q(pk__in=[])
    for handle_id, rkey in posts:
        found |= Q(handle_id=handle_id, external_id=rkey)
    return found


def _handle_ids(dids: Iterable[str]) -> dict[str, int]:
    rows = Handle.objects.filter(network=NETWORK, external_id__in=set(dids))
    return dict(rows.values_list("external_id", "id"))


def _count_followers(follows: Counter[str], *, sign: int) -> None:
    """Add (sign 1) or take away (-1) each account's follows from its follower count, which
    never goes below 0."""
    by_change: dict[int, list[str]] = {}
    for did, count in follows.items():
        by_change.setdefault(sign * count, []).append(did)
    for change, dids in by_change.items():
        Handle.objects.filter(network=NETWORK, external_id__in=dids).update(
            followers_count=Greatest(F("followers_count") + change, 0)
        )


def _name(names: list[Identity]) -> None:
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
    keys = [username_key(handle) for handle in owner]
    Handle.objects.filter(network=NETWORK).filter(
        Q(username_key__in=keys) | Q(external_id__in=final)
    ).update(username="", username_key="")
    handles = list(Handle.objects.filter(network=NETWORK, external_id__in=final))
    for handle in handles:
        handle.username = final[handle.external_id]
        handle.username_key = username_key(handle.username)
    Handle.objects.bulk_update(handles, ["username", "username_key"], batch_size=1000)
