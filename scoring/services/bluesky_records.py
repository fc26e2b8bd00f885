"""Bluesky records past the scoring window are forgotten, nightly (beat).

`BlueskyRecord` keeps what each record made so that deleting the record can take it back. What
a post, like or repost made longer ago than any model's window counts in no score, so its
record would only grow the table by a row for most events the stream brings, for ever. A
follow's record stays: an unfollow, however late, takes its follower back."""

from datetime import datetime, timedelta

from django.utils import timezone

from scoring.engine.versions import MODELS
from scoring.ingest.bluesky.events import FOLLOW
from scoring.models import BlueskyRecord

KEPT_FOR = timedelta(days=max(params.window_days for params in MODELS.values()))


def bluesky_records_forget(*, now: datetime | None = None) -> int:
    """Forget the records of posts, likes and reposts made before the window; how many.

    One statement: the stream's deletions take records row by row, so it waits for neither."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    old = BlueskyRecord.objects.filter(occurred_at__lt=cutoff).exclude(collection=FOLLOW)
    forgotten, _ = old.delete()
    return forgotten
