"""Bluesky records past the window are forgotten nightly, but follows (issue 24)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection

from scoring.ingest.bluesky.events import FOLLOW, LIKE, POST, REPOST
from scoring.models import BlueskyRecord
from scoring.services.bluesky_records import KEPT_FOR, bluesky_records_forget
from scoring.tasks import bluesky_records_forget_task

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 6, 2, tzinfo=UTC)
DAY = timedelta(days=1)


def keep(rkey: str, collection: str, occurred_at: datetime) -> None:
    BlueskyRecord.objects.create(
        did="did:plc:a", collection=collection, rkey=rkey, occurred_at=occurred_at,
        interactions=[] if collection == FOLLOW else [["did:plc:b", 1]],
        followed="did:plc:b" if collection == FOLLOW else "",
    )  # fmt: skip


def kept() -> list[str]:
    return sorted(BlueskyRecord.objects.values_list("rkey", flat=True))


def test_what_no_window_counts_is_forgotten_and_follows_are_kept():
    assert KEPT_FOR == 90 * DAY
    keep("like-inside", LIKE, NOW - KEPT_FOR + timedelta(seconds=1))
    keep("like-outside", LIKE, NOW - KEPT_FOR - timedelta(seconds=1))
    keep("post-outside", POST, NOW - 91 * DAY)
    keep("repost-backdated", REPOST, datetime(1995, 1, 1, tzinfo=UTC))  # a client's createdAt
    keep("repost-ahead", REPOST, NOW + DAY)
    keep("follow-old", FOLLOW, NOW - 900 * DAY)

    assert bluesky_records_forget(now=NOW) == 3

    assert kept() == ["follow-old", "like-inside", "repost-ahead"]
    assert bluesky_records_forget(now=NOW) == 0  # a retry forgets nothing more
    assert kept() == ["follow-old", "like-inside", "repost-ahead"]


def test_the_beat_forgets_nightly_by_a_registered_name():
    keep("like-outside", LIKE, datetime(2020, 1, 1, tzinfo=UTC))

    entry = settings.CELERY_BEAT_SCHEDULE["bluesky-records-forget"]
    assert entry["task"] == bluesky_records_forget_task.name
    assert entry["schedule"].hour == {2}
    assert bluesky_records_forget_task.delay().get() == 1  # run in-process: no broker here
    assert kept() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")
def test_postgresql_finds_the_old_records_through_the_time_index():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN DELETE FROM scoring_blueskyrecord WHERE occurred_at < %s", [NOW])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "scoring_blueskyrecord_occurred_brin" in plan
