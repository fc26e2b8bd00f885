"""The batch writer's reads and writes of many rows at once. On PostgreSQL each is one
statement with its keys as one JSON parameter (or a COPY): Django's IN lists and composite
`pk__in` of thousands of keys took longer to write out than PostgreSQL took to answer them (a
fifth of a 5,000-event batch). Elsewhere, the ORM."""

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

import orjson
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from psycopg.errors import UniqueViolation

from scoring.ingest.bluesky.events import NETWORK, Key
from scoring.ingest.bulk_postgres import copy_rows, json_parameter
from scoring.models import BlueskyRecord, Handle, Interaction, username_key

RECORD_FIELDS = ("did", "collection", "rkey", "occurred_at", "interactions", "followed")
# For the binary COPY: jsonb travels as its binary form, a version byte and then the text.
RECORD_TYPES = ("text", "text", "text", "timestamptz", "bytea", "text")
JSONB_VERSION = b"\x01"
TAKE_RECORDS = """
DELETE FROM scoring_blueskyrecord r USING json_to_recordset(%s::json) AS k(d text, c text, r text)
WHERE r.did = k.d AND r.collection = k.c AND r.rkey = k.r
RETURNING r.did, r.collection, r.rkey, r.occurred_at, r.interactions::text, r.followed
"""
# For a batch holding a record kept already (a replay, or a record the backfill read), which
# fails the COPY straight into the table. Emptied at each commit, and gone with a rolled-back
# transaction: asked for each time.
RECORD_STAGE = """
CREATE TEMPORARY TABLE IF NOT EXISTS bluesky_record_stage
(LIKE scoring_blueskyrecord INCLUDING DEFAULTS) ON COMMIT DELETE ROWS
"""
KEEP_RECORDS = f"""
INSERT INTO scoring_blueskyrecord ({", ".join(RECORD_FIELDS)})
SELECT {", ".join(RECORD_FIELDS)} FROM bluesky_record_stage
ON CONFLICT DO NOTHING RETURNING did, collection, rkey
"""  # noqa: S608 - constants only
NAME_HANDLES = """
UPDATE scoring_handle h SET username = k.u, username_key = k.k
FROM json_to_recordset(%s::json) AS k(d text, u text, k text)
WHERE h.network = %s AND h.external_id = k.d
"""
# The bounds are constants, so that PostgreSQL reads only the partitions of those months.
DELETE_INTERACTIONS = """
DELETE FROM scoring_interaction i
USING json_to_recordset(%s::json) AS k(t timestamptz, a bigint, g bigint, n smallint)
WHERE i.occurred_at = k.t AND i.actor_id = k.a AND i.target_id = k.g AND i.kind = k.n
AND i.occurred_at BETWEEN %s AND %s
"""
COUNT_FOLLOWERS = """
UPDATE scoring_handle h SET followers_count = greatest(h.followers_count + k.n, 0)
FROM json_to_recordset(%s::json) AS k(d text, n integer)
WHERE h.network = %s AND h.external_id = k.d
"""


class KeptRecord(NamedTuple):
    """What a record made here, as BlueskyRecord keeps it."""

    did: str
    collection: str
    rkey: str
    occurred_at: datetime
    interactions: list[list[str | int]]  # [target's DID, interaction kind]
    followed: str


def commit_without_waiting_for_the_disk() -> None:
    """Let the transaction's commit return before PostgreSQL has its WAL on disk. Safe for a
    batch of the stream only: should PostgreSQL crash before then, the batch is lost together
    with the cursor that covers it, and the consumer reads it again from Jetstream."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def keep_records(records: Sequence[KeptRecord]) -> set[Key]:
    """Keep the records (of distinct keys) that are not kept yet; the keys of those that
    were (a replay), most often none."""
    if not records:
        return set()
    if connection.vendor == "postgresql":
        rows = [(*r[:4], JSONB_VERSION + orjson.dumps(r.interactions), r.followed) for r in records]
        try:
            with transaction.atomic():  # a savepoint, so that a conflict undoes only the COPY
                copy_rows("scoring_blueskyrecord", ", ".join(RECORD_FIELDS), rows, RECORD_TYPES)
        except UniqueViolation:
            return {_key(r) for r in records} - _keep_new_records(rows)
        return set()
    kept = {Key(r.did, r.collection, r.rkey) for r in _records_kept([_key(r) for r in records])}
    BlueskyRecord.objects.bulk_create(
        BlueskyRecord(**r._asdict()) for r in records if _key(r) not in kept
    )
    return kept


def _keep_new_records(rows: Sequence[Sequence[object]]) -> set[Key]:
    with connection.cursor() as cursor:
        cursor.execute(RECORD_STAGE)
        copy_rows("bluesky_record_stage", ", ".join(RECORD_FIELDS), rows, RECORD_TYPES)
        cursor.execute(KEEP_RECORDS)
        return {Key(*row) for row in cursor.fetchall()}


def take_records(keys: list[Key]) -> list[KeptRecord]:
    """Those of the records Sway keeps, kept no longer: what a deletion undoes."""
    if not keys:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(TAKE_RECORDS, [_keys_json(keys)])
            return [
                KeptRecord(d, c, r, at, orjson.loads(made), followed)
                for d, c, r, at, made, followed in cursor.fetchall()
            ]
    found = _records_kept(keys)
    BlueskyRecord.objects.filter(pk__in=[r.pk for r in found]).delete()
    return [KeptRecord(*(getattr(r, name) for name in RECORD_FIELDS)) for r in found]


def _records_kept(keys: list[Key]) -> list[BlueskyRecord]:
    wanted = set(keys)
    candidates = BlueskyRecord.objects.filter(
        did__in={k.did for k in keys}, rkey__in={k.rkey for k in keys}
    )
    return [r for r in candidates if Key(r.did, r.collection, r.rkey) in wanted]


def delete_interactions(keys: list[tuple[datetime, int, int, int]]) -> None:
    """Delete the interactions of these keys: (when, actor's and target's handle ids, kind)."""
    if not keys:
        return
    if connection.vendor != "postgresql":
        Interaction.objects.filter(pk__in=keys).delete()
        return
    found = [{"t": at.isoformat(), "a": a, "g": g, "n": n} for at, a, g, n in keys]
    moments = [at for at, *_ in keys]
    with connection.cursor() as cursor:
        cursor.execute(DELETE_INTERACTIONS, [json_parameter(found), min(moments), max(moments)])


def _key(record: KeptRecord) -> Key:
    return Key(record.did, record.collection, record.rkey)


def _keys_json(keys: list[Key]) -> str:
    return json_parameter([{"d": k.did, "c": k.collection, "r": k.rkey} for k in keys])


def count_followers(follows: Counter[str], *, sign: int) -> None:
    """Add (sign 1) or take away (-1) each account's follows from its follower count, which
    never goes below 0."""
    if not follows:
        return
    if connection.vendor == "postgresql":
        changes = [{"d": did, "n": sign * count} for did, count in follows.items()]
        with connection.cursor() as cursor:
            cursor.execute(COUNT_FOLLOWERS, [json_parameter(changes), NETWORK])
        return
    by_change: dict[int, list[str]] = {}
    for did, count in follows.items():
        by_change.setdefault(sign * count, []).append(did)
    for change, dids in by_change.items():
        Handle.objects.filter(network=NETWORK, external_id__in=dids).update(
            followers_count=Greatest(F("followers_count") + change, 0)
        )


def name_handles(usernames: dict[str, str]) -> None:
    """Give the accounts (by DID) these usernames, taken by no other handle."""
    if not usernames:
        return
    if connection.vendor == "postgresql":
        names = [{"d": d, "u": u, "k": username_key(u)} for d, u in usernames.items()]
        with connection.cursor() as cursor:
            cursor.execute(NAME_HANDLES, [json_parameter(names), NETWORK])
        return
    handles = list(Handle.objects.filter(network=NETWORK, external_id__in=usernames))
    for handle in handles:
        handle.username = usernames[handle.external_id]
        handle.username_key = username_key(handle.username)
    Handle.objects.bulk_update(handles, ["username", "username_key"], batch_size=1000)
