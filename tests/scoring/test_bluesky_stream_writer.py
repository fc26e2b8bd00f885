"""Batches small or large write the same, and a write that fails (the disk full) stops the
consumer with the cursor at the last batch committed; the next run goes on from there,
writing every event once (issue 24's "exactly once")."""

import io

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from tests.jetstream_server import Replay, replaying
from tests.scoring.bluesky_events import START_US, frames
from tests.scoring.test_bluesky_resume import busy_stream, database, forget_everything

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a trigger of PostgreSQL's"),
]

FAIL_PAST_US = START_US + 700 * 1000  # the cursor may not move past this while the disk is full
FULL_DISK = f"""
CREATE FUNCTION sway_test_full_disk() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.time_us > {FAIL_PAST_US} THEN
        RAISE EXCEPTION 'the disk is full' USING ERRCODE = 'disk_full';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER sway_test_full_disk BEFORE INSERT OR UPDATE ON scoring_streamcursor
FOR EACH ROW EXECUTE FUNCTION sway_test_full_disk();
"""
DISK_FREED = """
DROP TRIGGER sway_test_full_disk ON scoring_streamcursor;
DROP FUNCTION sway_test_full_disk();
"""


def stream(events: list[dict], *options: str) -> None:
    """Consume the events, in this process, until the stream goes quiet."""
    with replaying(Replay(frames(*events))) as replay:
        call_command(
            "stream_bluesky", "--url", replay.url, "--flush-seconds", "0.05",
            "--exit-when-idle", "0.5", *options, stdout=io.StringIO(),
        )  # fmt: skip


def test_batches_of_a_few_events_write_what_one_batch_of_them_all_writes():
    events = busy_stream()
    stream(events, "--batch-size", "100000", "--flush-seconds", "2")
    whole = database()
    forget_everything()

    stream(events, "--batch-size", "16")

    assert database() == whole
    assert len(whole["interactions"]) > 500


def test_a_failed_write_leaves_the_last_batch_committed_and_the_next_run_goes_on_from_it():
    events = busy_stream()
    stream(events, "--batch-size", "40")
    clean = database()
    forget_everything()

    with connection.cursor() as sql:
        sql.execute(FULL_DISK)
    with pytest.raises(OperationalError, match="the disk is full"):
        stream(events, "--batch-size", "40")
    stopped = database()
    with connection.cursor() as sql:
        sql.execute(DISK_FREED)

    assert START_US < stopped["cursor"] <= FAIL_PAST_US
    stream(events, "--batch-size", "40")
    assert database() == clean

    forget_everything()  # what was written when it failed: the events up to its cursor, once
    stream([e for e in events if e["time_us"] <= stopped["cursor"]], "--batch-size", "40")
    assert database() == stopped
