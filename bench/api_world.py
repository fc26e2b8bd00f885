"""The database side of bench_api, run in a process of its own with DATABASE_URL set:
`python -m bench.api_world <command> [json]` prints one JSON line.

The world (made once, then reused): bench.campaigns_world's 1,000,000 people (same seed, same
scores, public ids and score details; written by its COPY functions, without its accounts,
person topics or brand), plus what the Klout score endpoint reads besides the person:

- one Twitter handle each (a username, so the nick is a handle's, as for a real person);
- ScoreSnapshot rows of the score's day and of 1, 7 and 30 days before (model "v3", the model
  of the score details), so that every request finds three snapshots and real deltas.
  The pipeline keeps a row a day; four a person keep the table at 4M rows instead of 90M+,
  which leaves the index the look-up uses one level shallower than in production at most."""

import json
import sys
import time
from datetime import date, timedelta
from typing import Any

import numpy as np

from bench import campaigns_world as world

MARKER = "bench-api-world-v1"  # an API key of this name: the world is complete
SCORE_DAY = date(2026, 11, 22)  # campaigns_world's score_day
BACK = (0, 1, 7, 30)  # snapshot days before the score's day
MODEL = "v3"


def status(_: dict[str, Any]) -> dict[str, Any]:
    from marketplace.models import ApiKey
    from scoring.models import Person, ScoreSnapshot

    return {
        "ready": ApiKey.objects.filter(name=MARKER).exists(),
        "people": Person.objects.count(),
        "snapshots": ScoreSnapshot.objects.count(),
    }


def build(_: dict[str, Any]) -> dict[str, Any]:
    """Fill the (fresh, migrated) database. Returns the counts and times."""
    from django.db import connection

    from marketplace.api_keys.services import api_key_create
    from marketplace.models import ApiScope

    started = time.monotonic()
    rng = np.random.default_rng(world.SEED)
    people = world._people(rng)
    people["owner"][:] = 0  # no accounts in this world
    with connection.cursor() as cursor:
        world._copy_people(cursor, rng, people)
        people_s = time.monotonic() - started
        _copy_handles(cursor)
        snapshots = _copy_snapshots(cursor, people)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('scoring_person', 'id'), max(id)) "
            "FROM scoring_person"
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('scoring_handle', 'id'), max(id)) "
            "FROM scoring_handle"
        )
        cursor.execute("VACUUM (ANALYZE) scoring_person, scoring_handle, scoring_scoresnapshot")
        cursor.execute(
            "SELECT pg_total_relation_size('scoring_person'), "
            "pg_total_relation_size('scoring_handle'), "
            "pg_total_relation_size('scoring_scoresnapshot')"
        )
        sizes = [round(s / 2**20) for s in cursor.fetchone()]
    api_key_create(name=MARKER, scope=ApiScope.READ)  # the marker; the bench makes its own
    return {
        "people": world.PEOPLE,
        "snapshots": snapshots,
        "mb": dict(zip(("person", "handle", "snapshot"), sizes, strict=True)),
        "people_seconds": round(people_s, 1),
        "seconds": round(time.monotonic() - started, 1),
    }


def _copy_handles(cursor: Any) -> None:
    columns = (
        "id, created_at, updated_at, network, external_id, username, username_key, "
        "display_name, avatar_url, profile_url, is_private, access_granted, followers_count, "
        "verification, person_id"
    )
    now = "2026-11-01 00:00:00+00"
    with cursor.cursor.copy(f"COPY scoring_handle ({columns}) FROM STDIN") as copy:
        for pk in range(1, world.PEOPLE + 1):
            name = f"bench_{pk}"
            copy.write_row(
                (pk, now, now, "twitter", str(10**9 + pk), name, name, "", "", "", False,
                 False, 0, "unverified", pk)
            )  # fmt: skip


def _copy_snapshots(cursor: Any, people: dict[str, np.ndarray]) -> int:
    """The score's day as it is, and each day before it the score minus a drift."""
    rng = np.random.default_rng(world.SEED + 1)
    score = people["score"]
    engaged = people["engaged"]
    rows = 0
    columns = "person_id, day, model_version, score, reach, amplification, network, percentile"
    with cursor.cursor.copy(f"COPY scoring_scoresnapshot ({columns}) FROM STDIN") as copy:
        for back in BACK:
            drift = rng.normal(0, 0.4 * max(back, 1) ** 0.5, world.PEOPLE) * (back > 0)
            then = np.where(engaged, np.round(np.clip(score - drift, 1, 100), 2), score)
            day = str(SCORE_DAY - timedelta(days=back))
            for pk, value, pct in zip(
                range(1, world.PEOPLE + 1), then.tolist(), people["percentile"].tolist(),
                strict=True,
            ):  # fmt: skip
                copy.write_row((pk, day, MODEL, value, value * 0.8, value * 0.3, value * 0.5, pct))
            rows += world.PEOPLE
    return rows


def key(args: dict[str, Any]) -> dict[str, Any]:
    """A new read key for this run (made as staff would, through api_key_create)."""
    from marketplace.api_keys.services import api_key_create
    from marketplace.models import ApiScope

    return {"key": api_key_create(name=args["name"], scope=ApiScope.READ).key}


def ids(args: dict[str, Any]) -> dict[str, Any]:
    """Every visible scored person's public id into args["path"], back to back (ten
    characters each, no separator: wrk's Lua reads the file as one string and cuts it)."""
    from django.db import connection

    with connection.cursor() as cursor, open(args["path"], "w", encoding="ascii") as out:
        cursor.execute(
            "SELECT public_id FROM scoring_person WHERE NOT opted_out AND score IS NOT NULL"
        )
        n = 0
        while batch := cursor.fetchmany(50_000):
            if any(len(row[0]) != 10 for row in batch):
                raise ValueError("A public id of another length than 10.")
            out.write("".join(row[0] for row in batch))
            n += len(batch)
    return {"ids": n}


COMMANDS = {"status": status, "build": build, "key": key, "ids": ids}


if __name__ == "__main__":
    world.setup()
    command = sys.argv[1]
    print(json.dumps(COMMANDS[command](json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})))
