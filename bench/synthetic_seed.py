"""bench_engines' synthetic world (bench_scoring's heavy-tailed engagement, a fifth of the
posts about one or two topics) put in PostgreSQL by the server itself, as the nightly run
would find it had the world been imported: `python -m bench.synthetic_seed PEOPLE`, against
the (migrated, empty) database of DATABASE_URL, for the day after today's midnight.

Ten times faster than seeding the demo world through the importers (which the 10M world
takes about 85 minutes for), so that the whole nightly run at 10M fits a session beside its
seeding. Person n is id n + 1, handle h id h + 1, post p id p + 1: the numbers the engine
gives them are those of the world, and the scores can be compared with the engine's on the
world itself (`--check`, for worlds small enough to score twice)."""

import os
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import django
import numpy as np

CHUNK_ROWS = 5_000_000  # interactions a COPY: its binary payload is built whole


def main(people: int, check: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.bench_engines import TOPICS, synthetic_world
    from scoring.models import Topic, TopicStatus
    from scoring.taxonomy import load_starter_taxonomy

    started = time.monotonic()
    end = datetime.combine(timezone.localdate() + timedelta(days=1), datetime.min.time(), UTC)
    signals = synthetic_world(people)
    # The database holds a post's topic once; the world may name it twice.
    pairs = np.unique(np.stack([signals.post_topic_post, signals.post_topic_topic]), axis=1)
    signals = replace(signals, post_topic_post=pairs[0], post_topic_topic=pairs[1])
    load_starter_taxonomy(Topic)
    topic_ids = np.array(
        Topic.objects.filter(status=TopicStatus.APPROVED, is_area=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:TOPICS]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _people_and_handles(cursor, signals)
        _posts(cursor, signals, topic_ids)
        _interactions(signals, end)
        for table in ("scoring_person", "scoring_handle", "scoring_post"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608 - constants
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"synthetic world of {people:,} people, {len(signals.handle_person):,} handles, "
        f"{len(signals.actor):,} interactions for {end.date()} in "
        f"{time.monotonic() - started:.1f} s",
        flush=True,
    )
    if check:
        _check(signals, end)


def _people_and_handles(cursor, signals) -> None:
    from scoring.ingest.bulk_postgres import copy_arrays
    from scoring.models import Verification
    from scoring.pipeline import NETWORKS

    cursor.execute(
        "INSERT INTO scoring_person (id, created_at, updated_at, public_id, opted_out, "
        "display_name, place, country, score_model) OVERRIDING SYSTEM VALUE "
        "SELECT n, now(), now(), 's' || lpad(n::text, 9, '0'), false, '', '', '', '' "
        "FROM generate_series(1, %s) n",
        [signals.people],
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE handle_stage "
        "(id bigint, person bigint, network bigint, hidden boolean)"
    )
    copy_arrays(
        "handle_stage",
        {
            "id": np.arange(1, len(signals.handle_person) + 1),
            "person": signals.handle_person + 1,
            "network": signals.handle_network,
            "hidden": signals.handle_hidden,
        },
    )
    cursor.execute(
        "INSERT INTO scoring_handle (id, created_at, updated_at, network, external_id, "
        "username, username_key, display_name, avatar_url, profile_url, is_private, "
        "access_granted, followers_count, verification, person_id) OVERRIDING SYSTEM VALUE "
        "SELECT id, now(), now(), (%s::text[])[network + 1], id::text, '', '', '', '', '', "
        "hidden, false, 0, %s, person FROM handle_stage",
        [list(NETWORKS), Verification.UNVERIFIED],
    )


def _posts(cursor, signals, topic_ids) -> None:
    """Each post engaged with, of the handle post // 3 (bench_scoring's numbering)."""
    from scoring.ingest.bulk_postgres import copy_arrays

    posts = np.unique(signals.post[signals.post >= 0])
    cursor.execute("CREATE TEMPORARY TABLE post_stage (post bigint)")
    copy_arrays("post_stage", {"post": posts})
    cursor.execute(
        "INSERT INTO scoring_post (id, created_at, updated_at, external_id, published_at, "
        "text, url, kind, reported_likes, reported_shares, handle_id) OVERRIDING SYSTEM VALUE "
        "SELECT post + 1, now(), now(), post::text, now() - interval '100 days', '', '', "
        "'original', 0, 0, post / 3 + 1 FROM post_stage"
    )
    copy_arrays(
        "scoring_post_topics",
        {
            "post_id": signals.post_topic_post + 1,
            "topic_id": topic_ids[signals.post_topic_topic],
        },
    )


def _interactions(signals, end: datetime) -> None:
    from scoring.ingest.bulk_postgres import POSTGRES_EPOCH_SECONDS, copy_arrays
    from scoring.partitions import ensure_interaction_partitions, month_start

    ends_at = int((end.timestamp() - POSTGRES_EPOCH_SECONDS) * 1e6)
    micros = ends_at - 1 - np.floor(signals.age_days * 86_400e6).astype(np.int64)
    ensure_interaction_partitions({month_start(end - timedelta(days=d)) for d in range(92)})
    # In time order, as a stream or an import brings them: in random order, each row's key goes
    # anywhere in its partition's index, which at 100 million rows is far past the buffers.
    order = np.argsort(micros, kind="stable")
    for start in range(0, len(micros), CHUNK_ROWS):
        rows = order[start : start + CHUNK_ROWS]
        columns = {
            "actor_id": signals.actor[rows] + 1,
            "target_id": signals.target[rows] + 1,
            "kind": signals.kind[rows].astype(np.int16),
            "occurred_at": micros[rows],
        }
        on_post = signals.post[rows] >= 0
        copy_arrays("scoring_interaction", {name: c[~on_post] for name, c in columns.items()})
        copy_arrays(
            "scoring_interaction",
            {name: column[on_post] for name, column in columns.items()}
            | {"post_id": signals.post[rows][on_post] + 1},
        )
        print(f"  {min(start + CHUNK_ROWS, len(micros)):,} interactions", flush=True)


def _check(signals, end: datetime) -> None:
    """The nightly run's extract is the world: the engine scores both alike."""
    from scoring.engine.compute import compute
    from scoring.engine.versions import LIVE, MODELS
    from scoring.pipeline import extract_window

    params = MODELS[LIVE]
    extract = extract_window(as_of=end.date(), params=params)
    assert (extract.person_ids == np.arange(1, signals.people + 1)).all()
    found = compute(extract.signals, params).score
    expected = compute(signals, params).score
    difference = np.abs(found - expected).max()
    print(f"the extract scores as the world does: largest difference {difference}")


if __name__ == "__main__":
    main(int(sys.argv[1]), "--check" in sys.argv[2:])
