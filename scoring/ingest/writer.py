"""Stores one batch of records: handles (with a person each), posts and interactions,
skipping what is already there and whatever involves a do-not-track handle. A batch is
written in one transaction, but for its interactions on PostgreSQL, which a second connection
writes once the rest of the batch has committed (`SignalWriter.write`).

Interactions travel as columns (InteractionBlock), so a batch of a million costs a few list
comprehensions rather than a million objects. The work that touches many rows goes through a
`Bulk` backend (scoring.ingest.bulk_contract): COPY on PostgreSQL (bulk_postgres), Django's
bulk_create elsewhere (bulk_django, also the baseline the benchmark compares COPY with).
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import timedelta

import numpy as np
from django.db import connection, transaction

from scoring.engine.grouping import unique_inverse
from scoring.ingest.background import InBackground
from scoring.ingest.bulk_contract import (
    EPOCH,
    Bulk,
    HandleKey,
    Int64s,
    InteractionColumns,
    PostKey,
    datetime_to_micros,
)
from scoring.ingest.bulk_django import DjangoBulk
from scoring.ingest.bulk_postgres import PostgresBulk
from scoring.ingest.known_handles import KnownHandles
from scoring.ingest.records import (
    HandleRecord,
    InteractionBlock,
    InteractionRecord,
    PostRecord,
    SourceLine,
)
from scoring.models import DoNotTrack, Handle, Topic, username_key
from scoring.partitions import ensure_interaction_partitions, month_start
from scoring.selectors.people import approved_topics_matcher
from scoring.topic_matching import TopicMatcher

MICROS_PER_DAY = 86_400_000_000
# Batches whose interactions may wait for the second connection: the first batches create
# most of the handles and the last few create none, so the two connections' work comes
# unevenly, and a few batches' slack lets each go on meanwhile.
INTERACTIONS_IN_FLIGHT = 4


class BatchError(Exception):
    """A record that the database refuses; the runner reports it like a malformed line."""

    def __init__(self, location: str, reason: str):
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason


@dataclass
class BatchCounts:
    created: int = 0
    duplicates: int = 0
    skipped: int = 0  # involve a handle on the do-not-track list

    def add(self, other: "BatchCounts") -> None:
        self.created += other.created
        self.duplicates += other.duplicates
        self.skipped += other.skipped


def bulk_for_connection() -> Bulk:
    return PostgresBulk() if connection.vendor == "postgresql" else DjangoBulk()


HandleIds = dict[str, dict[str, int]]  # network → the network's id → handle id


class SignalWriter:
    def __init__(self, bulk: Bulk | None = None, *, unknown_posts_unlinked: bool = False):
        """With `unknown_posts_unlinked`, an interaction with a post Sway does not have is
        kept without its post (a stream meets engagement with posts from before it started),
        instead of refused."""
        self.bulk = bulk or bulk_for_connection()
        self.unknown_posts_unlinked = unknown_posts_unlinked
        self._known = KnownHandles()  # handles of batches already committed
        self._matcher: TopicMatcher | None = None
        self._background: InBackground[InteractionColumns, BatchCounts] | None = None

    @property
    def matcher(self) -> TopicMatcher:
        """What posts are about besides the topics their source names; built at the first
        post, from the taxonomy as it is then."""
        if self._matcher is None:
            self._matcher = approved_topics_matcher()
        return self._matcher

    def write(self, lines: list[SourceLine]) -> BatchCounts:
        """Store one batch. Where a second connection can, it writes the batch's interactions
        once the rest of the batch has committed, while the next batch goes on; their counts
        then come with the next batch's (or with `finish`'s)."""
        batch = _Batch(lines)
        counts = BatchCounts()
        background = self._background_for_interactions()
        with transaction.atomic():
            self._drop_do_not_track(batch, counts)
            handles, block_handles, fresh = self._store_handles(batch, counts)
            posts = self._store_posts(batch, handles, block_handles, counts)
            interactions = self._interaction_columns(batch, handles, block_handles, posts)
            if background is None:
                counts.add(self._insert_interactions(interactions))
        self._known.add(fresh)
        if background is not None:
            for written in background.hand_over(interactions):
                counts.add(written)
        return counts

    def finish(self) -> BatchCounts:
        """The end of an import: wait for the interactions still being written (their
        counts), then tell the query planner how the tables have grown."""
        counts = BatchCounts()
        if self._background is not None:
            background, self._background = self._background, None
            for written in background.close():
                counts.add(written)
        self.bulk.refresh_statistics()
        return counts

    def _background_for_interactions(self) -> InBackground[InteractionColumns, BatchCounts] | None:
        """On PostgreSQL, interactions go through a connection of their own, so that the
        server writes them while it creates the next batch's handles (docs/PERFORMANCE.md,
        "Importing signals"); not inside a caller's transaction, which must hold all it
        asked for, nor on SQLite, which writes through one connection at a time."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return None
        if self._background is None:
            self._background = InBackground(
                self._insert_interactions, "import-interactions", depth=INTERACTIONS_IN_FLIGHT
            )
        return self._background

    def _drop_do_not_track(self, batch: "_Batch", counts: BatchCounts) -> None:
        listed = DoNotTrack.objects.filter(network__in=batch.networks()).values_list(
            "network", flat=True
        )
        if not listed:
            return
        networks = batch.handle_ids_by_network()
        blocked = {
            (network, external_id)
            for network in set(listed)
            for external_id in self.bulk.do_not_track(network, networks[network])
        }
        if blocked:
            counts.skipped += batch.drop_handles(blocked)

    def _store_handles(
        self, batch: "_Batch", counts: BatchCounts
    ) -> tuple[HandleIds, list[Int64s], list[tuple[HandleKey, int]]]:
        """The ids of every handle the batch names, creating those that are new: by network
        and external id, and for each block its `handles` as ids; and the ids this import did
        not know before the batch. A block's plain numeric ids already known are not looked
        at one by one."""
        self.bulk.lock_handles()
        known_in_blocks = [
            None if block.numbers is None else self._known.of_numbers(block.network, block.numbers)
            for block in batch.blocks
        ]
        not_asked, not_known = batch.handle_ids_to_find(known_in_blocks)
        wanted = {n: not_asked[n] | not_known[n] for n in not_asked.keys() | not_known.keys()}
        found: HandleIds = {}
        fresh: list[tuple[HandleKey, int]] = []
        for network, ids in wanted.items():
            found[network] = self._known.of_texts(network, not_asked[network])
            unknown = ids - found[network].keys()
            if unknown:
                looked_up = self.bulk.handle_ids(network, unknown)
                found[network].update(looked_up)
                fresh += (((network, e), i) for e, i in looked_up.items())

        described = {(r.network, r.external_id): r for _, r in batch.handles}
        new = [record for (n, e), record in described.items() if e not in found[n]]
        counts.created += len(new)
        counts.duplicates += len(batch.handles) - len(new)
        unnamed = [  # handles seen only in others' signals: their usernames are not known yet
            (network, external_id)
            for network, ids in wanted.items()
            for external_id in ids - found[network].keys()
            if (network, external_id) not in described
        ]
        named_late = [r for (n, e), r in described.items() if e in found[n] and r.username]
        self._refuse_taken_usernames(new + named_late, batch)
        created = self.bulk.insert_handles(new, unnamed)
        for (network, external_id), handle_id in created.items():
            found[network][external_id] = handle_id
        fresh += created.items()
        _name_handles_known_by_id(named_late)
        return found, _block_handle_ids(batch.blocks, known_in_blocks, found), fresh

    def _refuse_taken_usernames(self, new: list[HandleRecord], batch: "_Batch") -> None:
        first: dict[str, dict[str, HandleRecord]] = defaultdict(dict)
        for record in new:
            if not record.username:
                continue
            clash = first[record.network].setdefault(username_key(record.username), record)
            if clash is not record:
                raise BatchError(
                    batch.location_of((record.network, record.external_id)),
                    f"username @{record.username} is given to two ids, "
                    f"{clash.external_id} and {record.external_id}",
                )
        for network, records in first.items():
            for key, owner in self.bulk.usernames_taken(network, list(records)).items():
                record = records[key]
                if owner == record.external_id:
                    continue  # a handle already known, described again
                raise BatchError(
                    batch.location_of((network, record.external_id)),
                    f"username @{record.username} already belongs to {network} id {owner}",
                )

    def _store_posts(
        self,
        batch: "_Batch",
        handles: HandleIds,
        block_handles: list[Int64s],
        counts: BatchCounts,
    ) -> dict[PostKey, int]:
        slugs = {slug for _, record in batch.posts for slug in record.topics}
        topic_ids = dict(Topic.objects.filter(slug__in=slugs).values_list("slug", "id"))
        rows: dict[PostKey, tuple[int, PostRecord]] = {}
        for location, record in batch.posts:
            unknown = [slug for slug in record.topics if slug not in topic_ids]
            if unknown:
                raise BatchError(location, f"unknown topic(s): {', '.join(unknown)}")
            handle_id = handles[record.network][record.author]
            rows[(handle_id, record.external_id)] = (handle_id, record)

        referenced = {
            (handles[r.network][r.target], r.post) for _, r in batch.interactions if r.post
        }
        for block, handle_ids in zip(batch.blocks, block_handles, strict=True):
            if block.posts is not None:
                targets = handle_ids[block.targets].tolist()
                pairs = zip(targets, block.posts, strict=True)
                referenced.update((target, post) for target, post in pairs if post)
        found = self.bulk.post_ids(list(rows.keys() | referenced))
        new = [row for key, row in rows.items() if key not in found]
        created = self.bulk.insert_posts(new) if new else {}
        self.bulk.insert_post_topics(
            [
                (created[(handle_id, record.external_id)], topic)
                for handle_id, record in new
                if (handle_id, record.external_id) in created
                for topic in {topic_ids[slug] for slug in record.topics}
                | self.matcher.match(record.text)
            ]
        )
        counts.created += len(created)
        counts.duplicates += len(batch.posts) - len(created)
        return found | created

    def _interaction_columns(
        self,
        batch: "_Batch",
        handles: HandleIds,
        block_handles: list[Int64s],
        posts: dict[PostKey, int],
    ) -> InteractionColumns:
        """The batch's interactions, with the partitions they go to created."""
        parts = [self._record_columns(batch, handles, posts)]
        for location, block, handle_ids in zip(
            batch.block_locations, batch.blocks, block_handles, strict=True
        ):
            targets = handle_ids[block.targets]
            parts.append(
                InteractionColumns(
                    actors=handle_ids[block.actors],
                    targets=targets,
                    kinds=block.kinds,
                    micros=block.micros,
                    posts=self._block_post_ids(location, block, targets, posts),
                )
            )
        columns = InteractionColumns.concatenate(parts)
        if len(columns):
            days = np.unique(columns.micros // MICROS_PER_DAY)
            months = (month_start(EPOCH + timedelta(days=int(d))) for d in days)
            ensure_interaction_partitions(months)
        return columns

    def _block_post_ids(
        self, location: str, block: InteractionBlock, targets: Int64s, posts: dict[PostKey, int]
    ) -> Int64s:
        """The id of the post each interaction is about (0 for none); `targets` are the
        target handles' ids."""
        found = np.zeros(len(block), dtype=np.int64)
        if block.posts is None:
            return found
        for row, (target, post) in enumerate(zip(targets.tolist(), block.posts, strict=True)):
            if post:
                post_id = posts.get((target, post))
                if post_id is None:
                    named = block.handles[block.targets[row]]
                    post_id = self._unknown_post(location, post, block.network, named)
                found[row] = post_id
        return found

    def _unknown_post(self, location: str, post: str, network: str, external_id: str) -> int:
        """0, the post id of engagement with a post Sway does not have, with
        `unknown_posts_unlinked`; else BatchError."""
        if self.unknown_posts_unlinked:
            return 0
        raise BatchError(
            location,
            f"post {post} of {network} id {external_id} is unknown: "
            "import a post before engagement with it",
        )

    def _insert_interactions(self, columns: InteractionColumns) -> BatchCounts:
        created = self.bulk.insert_interactions(columns) if len(columns) else 0
        return BatchCounts(created=created, duplicates=len(columns) - created)

    def _record_columns(
        self, batch: "_Batch", handles: HandleIds, posts: dict[PostKey, int]
    ) -> InteractionColumns:
        rows = []
        for location, record in batch.interactions:
            target = handles[record.network][record.target]
            post_id = 0
            if record.post:
                post_id = posts.get((target, record.post)) or self._unknown_post(
                    location, record.post, record.network, record.target
                )
            actor = handles[record.network][record.actor]
            rows.append(
                (actor, target, record.kind, datetime_to_micros(record.occurred_at), post_id)
            )
        table = np.array(rows, dtype=np.int64).reshape(-1, 5)
        return InteractionColumns(
            table[:, 0], table[:, 1], table[:, 2].astype(np.int16), table[:, 3], table[:, 4]
        )


class _Batch:
    """One batch's records, sorted by kind, with the handles they name."""

    def __init__(self, lines: list[SourceLine]):
        self.handles: list[tuple[str, HandleRecord]] = []
        self.posts: list[tuple[str, PostRecord]] = []
        self.interactions: list[tuple[str, InteractionRecord]] = []
        self.blocks: list[InteractionBlock] = []
        self.block_locations: list[str] = []
        for line in lines:
            record = line.record
            if isinstance(record, InteractionBlock):
                self.blocks.append(record)
                self.block_locations.append(line.location)
            elif isinstance(record, InteractionRecord):
                self.interactions.append((line.location, record))
            elif isinstance(record, PostRecord):
                self.posts.append((line.location, record))
            elif isinstance(record, HandleRecord):
                self.handles.append((line.location, record))

    def networks(self) -> set[str]:
        return (
            {h.network for _, h in self.handles}
            | {p.network for _, p in self.posts}
            | {i.network for _, i in self.interactions}
            | {b.network for b in self.blocks}
        )

    def handle_ids_by_network(self) -> dict[str, set[str]]:
        """Every external id the batch names."""
        ids, _ = self.handle_ids_to_find([None] * len(self.blocks))
        return ids

    def handle_ids_to_find(
        self, known_in_blocks: list[Int64s | None]
    ) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """The external ids the batch names that the import's memory has not been asked about,
        and those it was asked about and did not know: `known_in_blocks` holds each block's
        handle ids as the memory knew them (-1: not known), or None if it was not asked."""
        not_asked: dict[str, set[str]] = defaultdict(set)
        not_known: dict[str, set[str]] = defaultdict(set)
        for _, h in self.handles:
            not_asked[h.network].add(h.external_id)
        for _, p in self.posts:
            not_asked[p.network].add(p.author)
        for _, i in self.interactions:
            not_asked[i.network].update((i.actor, i.target))
        for block, known in zip(self.blocks, known_in_blocks, strict=True):
            if known is None:
                not_asked[block.network].update(block.handles)
            else:
                missing = np.flatnonzero(known < 0).tolist()
                not_known[block.network].update(block.handles[i] for i in missing)
        return not_asked, not_known

    def location_of(self, key: HandleKey) -> str:
        """The first line that names this handle."""
        network, external_id = key
        for location, h in self.handles:
            if (h.network, h.external_id) == key:
                return location
        for location, p in self.posts:
            if (p.network, p.author) == key:
                return location
        for location, i in self.interactions:
            if i.network == network and external_id in (i.actor, i.target):
                return location
        for location, block in zip(self.block_locations, self.blocks, strict=True):
            if block.network == network and external_id in block.handles:
                return location
        raise KeyError(key)

    def drop_handles(self, blocked: set[HandleKey]) -> int:
        """Forget every record that names a blocked handle; how many were forgotten."""
        before = self.size()
        self.handles = [
            (loc, h) for loc, h in self.handles if (h.network, h.external_id) not in blocked
        ]
        self.posts = [(loc, p) for loc, p in self.posts if (p.network, p.author) not in blocked]
        self.interactions = [
            (loc, i)
            for loc, i in self.interactions
            if (i.network, i.actor) not in blocked and (i.network, i.target) not in blocked
        ]
        self.blocks = [_without(block, blocked) for block in self.blocks]
        return before - self.size()

    def size(self) -> int:
        return (
            len(self.handles)
            + len(self.posts)
            + len(self.interactions)
            + sum(len(b) for b in self.blocks)
        )


def _without(block: InteractionBlock, blocked: set[HandleKey]) -> InteractionBlock:
    ids = {e for n, e in blocked if n == block.network}
    gone = np.fromiter((h in ids for h in block.handles), dtype=bool, count=len(block.handles))
    keep = ~(gone[block.actors] | gone[block.targets])
    actors, targets = block.actors[keep], block.targets[keep]
    involved, positions = unique_inverse(np.concatenate([actors, targets]))
    return replace(
        block,
        handles=[block.handles[i] for i in involved.tolist()],
        actors=positions[: len(actors)],
        targets=positions[len(actors) :],
        kinds=block.kinds[keep],
        micros=block.micros[keep],
        posts=None
        if block.posts is None
        else [p for p, k in zip(block.posts, keep.tolist(), strict=True) if k],
        numbers=None if block.numbers is None else block.numbers[involved],
    )


def _block_handle_ids(
    blocks: list[InteractionBlock], known_in_blocks: list[Int64s | None], found: HandleIds
) -> list[Int64s]:
    """Each block's `handles` as handle ids: those known before the batch (-1: not known, or
    None for none; filled in place), the rest from `found`."""
    result = []
    for block, known in zip(blocks, known_in_blocks, strict=True):
        by_id = found.get(block.network, {})
        if known is None:
            known = np.fromiter((by_id[e] for e in block.handles), np.int64, len(block.handles))
        else:
            missing = np.flatnonzero(known < 0)
            known[missing] = [by_id[block.handles[i]] for i in missing.tolist()]
        result.append(known)
    return result


def _name_handles_known_by_id(records: list[HandleRecord]) -> None:
    """Describe the handles that were created from others' signals, by id alone, with what
    a handle record now says of them (handles already described are left as they are)."""
    by_key = {(r.network, r.external_id): r for r in records}
    unnamed = Handle.objects.filter(external_id__in={r.external_id for r in records}, username="")
    changed = []
    for handle in unnamed:
        record = by_key.get((handle.network, handle.external_id))
        if record is not None:
            handle.username, handle.username_key = record.username, username_key(record.username)
            handle.display_name, handle.avatar_url = record.display_name, record.avatar_url
            handle.profile_url, handle.is_private = record.profile_url, record.is_private
            handle.followers_count = record.followers_count
            changed.append(handle)
    fields = [
        "username",
        "username_key",
        "display_name",
        "avatar_url",
        "profile_url",
        "is_private",
        "followers_count",
    ]
    Handle.objects.bulk_update(changed, fields, batch_size=1000)
