"""The daily refresh of verified Mastodon accounts (beat → scoring.tasks.mastodon_refresh_task):
each account read for what is new since its last read (scoring.ingest.mastodon_updates) and
written with its cursor in one transaction, server by server.

Servers are asked within their rate limits and never waited for: a server that answers HTTP
429, says its budget is spent (X-RateLimit-Remaining), or leaves RATE_LIMIT_RESERVE requests
or fewer, is left alone for the rest of the run, and so is one that cannot be reached or does
not answer; its accounts not read are read first the next night (least recently read first).
A server throttled after some of its accounts were read is read again for the rest when its
budget comes back (`retry_at`, which the task queues), so that a large server is read through
in one night, a few minutes' budget at a time.
An account that fails on its own (a server error, a hostile answer) is reported and skipped.

The people whose handles got new engagement are not scored here: the refresh runs before the
nightly run (CELERY_BEAT_SCHEDULE), which scores everyone with the day's data."""

import logging
from collections import defaultdict
from collections.abc import Collection
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import DatabaseError, transaction

from scoring.ingest.mastodon import WINDOW, Client, Failure, instance_url
from scoring.ingest.mastodon_updates import read_update
from scoring.ingest.records import InteractionRecord, SourceError, SourceLine
from scoring.ingest.writer import BatchError, SignalWriter
from scoring.models import Handle, MastodonCursor, Post
from scoring.selectors.mastodon_accounts import handle_cursor, handles_to_refresh, stored_counts

logger = logging.getLogger(__name__)

# Requests left to each server for people verifying a handle on it from Sway meanwhile (a
# check costs two): the refresh stops asking a server when its budget falls to this.
RATE_LIMIT_RESERVE = 10
# Mastodon's budgets come back every 5 minutes; a server that says later than this is left
# for the next night, and one that says sooner than MIN_RETRY_WAIT is given that.
RETRY_WITHIN = timedelta(minutes=30)
MIN_RETRY_WAIT = timedelta(minutes=1)


@dataclass
class RefreshSummary:
    accounts_read: int = 0
    accounts_failed: int = 0
    # On a server that was throttled or failing, for the next run: some of them partly read
    # (the statuses read whole before the server stopped are written).
    accounts_left: int = 0
    accounts_partly_read: int = 0
    new_interactions: int = 0
    servers_throttled: list[str] = field(default_factory=list)
    servers_failed: list[str] = field(default_factory=list)
    retry_at: dict[str, str] = field(default_factory=dict)  # throttled server → when (ISO)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def mastodon_refresh(
    *,
    now: datetime,
    hosts: Collection[str] | None = None,
    read_before: datetime | None = None,
) -> RefreshSummary:
    """Read each verified Mastodon account (on `hosts` only, if given; not read since
    `read_before`, if given) for what is new since its last read."""
    summary = RefreshSummary()
    servers: dict[str, list[Handle]] = defaultdict(list)
    for handle in handles_to_refresh(read_before=read_before):
        host = handle.username.rsplit("@", 1)[1].casefold()
        if hosts is None or host in hosts:
            servers[host].append(handle)
    for host, handles in servers.items():
        _server_refresh(host, handles, now, summary)
    logger.info("mastodon refresh done: %s", summary)
    return summary


def _server_refresh(
    host: str, handles: list[Handle], now: datetime, summary: RefreshSummary
) -> None:
    logger.info("mastodon refresh: %s, %d accounts", host, len(handles))
    try:
        client = Client(instance_url(host), host=host, patient=False)
    except SourceError as error:
        summary.servers_failed.append(host)
        _server_left(host, str(error), len(handles), summary)
        return
    read_so_far = summary.accounts_read + summary.accounts_partly_read
    with closing(client):
        for position, handle in enumerate(handles):
            if not _may_ask(client) or not _account_refresh_logged(client, handle, now, summary):
                progressed = summary.accounts_read + summary.accounts_partly_read > read_so_far
                _server_stopped(host, client, len(handles) - position, summary, progressed)
                return


def _server_stopped(
    host: str, client: Client, left: int, summary: RefreshSummary, progressed: bool
) -> None:
    if client.stopped is None or client.stopped.failure == Failure.BUSY:
        summary.servers_throttled.append(host)
        retry_at = _retry_time(client, progressed)
        if retry_at is not None:
            summary.retry_at[host] = retry_at.isoformat()
    else:
        summary.servers_failed.append(host)
    reason = client.stopped.reason if client.stopped else "rate limit nearly spent"
    _server_left(host, reason, left, summary)


def _may_ask(client: Client) -> bool:
    return client.stopped is None and (
        client.remaining is None or client.remaining > RATE_LIMIT_RESERVE
    )


def _retry_time(client: Client, progressed: bool) -> datetime | None:
    """When to read a throttled server again for what it left: when its budget comes back,
    if it says so, soon enough, and this run read some of its accounts (so that each run
    reads some and the runs end)."""
    now = datetime.now(UTC)
    if not progressed or client.reset_at is None or client.reset_at > now + RETRY_WITHIN:
        return None
    return max(client.reset_at, now + MIN_RETRY_WAIT)


def _server_left(host: str, reason: str, left: int, summary: RefreshSummary) -> None:
    summary.accounts_left += left
    logger.warning(
        "mastodon refresh: %s left for the next run, accounts not read: %d (%s)", host, left, reason
    )


def _account_refresh_logged(
    client: Client, handle: Handle, now: datetime, summary: RefreshSummary
) -> bool:
    """Refresh one account; False when its server stopped answering (the account is then left
    for the next run with the others)."""
    try:
        refreshed = mastodon_account_refresh(client=client, handle=handle, now=now)
    except (SourceError, BatchError, DatabaseError) as error:
        if client.stopped is not None:
            return False
        summary.accounts_failed += 1
        logger.warning("mastodon refresh: %s not read: %s", handle, error)
        return True
    summary.new_interactions += refreshed.new_interactions
    if not refreshed.complete:
        if refreshed.statuses:  # something written: the next read has less to do
            summary.accounts_partly_read += 1
        logger.info("mastodon refresh: %s partly read: %s", handle, refreshed)
        return False
    summary.accounts_read += 1
    logger.info("mastodon refresh: %s read: %s", handle, refreshed)
    return True


@dataclass(frozen=True)
class AccountRefresh:
    new_interactions: int
    statuses: int  # read whole: new ones, and older ones whose counts changed
    complete: bool  # False when its server stopped answering: the rest is for the next run


def mastodon_account_refresh(*, client: Client, handle: Handle, now: datetime) -> AccountRefresh:
    """Read what is new on the handle's account and write it with the handle's cursor, in one
    transaction; when the server stopped answering on the way, the statuses read whole before
    that, and the cursor is left where it was. Raises SourceError, or BatchError for a record
    the database refuses, and then writes nothing."""
    cursor = handle_cursor(handle)
    window_start = now - WINDOW
    since = cursor.status_id if cursor and cursor.read_at >= window_start else ""
    update = read_update(
        client,
        handle.username.rsplit("@", 1)[0],
        since=since,
        known=stored_counts(handle, since=window_start),
    )
    if update.owner.external_id != handle.external_id:
        raise SourceError(f"{client.origin} now names the account {update.owner.username}")
    with transaction.atomic():
        created = _write(update.lines)
        for status_id, (likes, shares) in update.recounted.items():
            Post.objects.filter(handle=handle, external_id=status_id).update(
                reported_likes=likes, reported_shares=shares
            )
        if update.complete:
            MastodonCursor.objects.update_or_create(
                handle=handle,
                defaults={"status_id": update.newest_status or since, "read_at": now},
            )
    return AccountRefresh(created, update.statuses, update.complete)


def _write(lines: list[SourceLine]) -> int:
    """Write in the caller's transaction (so the writer uses no connection of its own): the
    handles and posts, then the interactions, whose new ones are counted."""
    writer = SignalWriter()
    interactions = [line for line in lines if isinstance(line.record, InteractionRecord)]
    writer.write([line for line in lines if not isinstance(line.record, InteractionRecord)])
    return writer.write(interactions).created if interactions else 0
