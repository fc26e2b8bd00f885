"""The batch writer's reads and updates of many rows at once. On PostgreSQL each is one
statement with its keys as one JSON parameter: Django's IN lists and composite `pk__in` of
thousands of keys took longer to write out than PostgreSQL took to answer them (a fifth of
a 5,000-event batch). Elsewhere, the ORM."""

import json
from collections import Counter

from django.db import connection
from django.db.models import F
from django.db.models.functions import Greatest

from scoring.ingest.bluesky.events import NETWORK, Key
from scoring.models import BlueskyRecord, Handle

RECORDS = """
SELECT r.* FROM scoring_blueskyrecord r
JOIN json_to_recordset(%s::json) AS k(d text, c text, r text)
ON r.did = k.d AND r.collection = k.c AND r.rkey = k.r
"""
COUNT_FOLLOWERS = """
UPDATE scoring_handle h SET followers_count = greatest(h.followers_count + k.n, 0)
FROM json_to_recordset(%s::json) AS k(d text, n integer)
WHERE h.network = %s AND h.external_id = k.d
"""


def records(keys: list[Key]) -> list[BlueskyRecord]:
    """Those of the records Sway keeps."""
    if not keys:
        return []
    if connection.vendor == "postgresql":
        found = [{"d": k.did, "c": k.collection, "r": k.rkey} for k in keys]
        return list(BlueskyRecord.objects.raw(RECORDS, [json.dumps(found)]))
    wanted = set(keys)
    candidates = BlueskyRecord.objects.filter(
        did__in={k.did for k in keys}, rkey__in={k.rkey for k in keys}
    )
    return [r for r in candidates if Key(r.did, r.collection, r.rkey) in wanted]


def count_followers(follows: Counter[str], *, sign: int) -> None:
    """Add (sign 1) or take away (-1) each account's follows from its follower count, which
    never goes below 0."""
    if not follows:
        return
    if connection.vendor == "postgresql":
        changes = [{"d": did, "n": sign * count} for did, count in follows.items()]
        with connection.cursor() as cursor:
            cursor.execute(COUNT_FOLLOWERS, [json.dumps(changes), NETWORK])
        return
    by_change: dict[int, list[str]] = {}
    for did, count in follows.items():
        by_change.setdefault(sign * count, []).append(did)
    for change, dids in by_change.items():
        Handle.objects.filter(network=NETWORK, external_id__in=dids).update(
            followers_count=Greatest(F("followers_count") + change, 0)
        )
