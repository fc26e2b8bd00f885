"""The extract step: the handles of everyone scored and the engagement between them in the
window before a day, as the engine's arrays (Signals) and the ids their numbers stand for; and,
for a compute step elsewhere, the window written as Parquet (scoring.engine.parquet)."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import QuerySet

from scoring.engine.grouping import unique_inverse
from scoring.engine.model import Params, Signals
from scoring.engine.parquet import (
    LayoutError,
    in_day_order,
    signals_digest,
    signals_write,
    window_as_of,
    window_digest,
)
from scoring.models import Handle, Interaction, Network, Post, TopicStatus

NETWORKS = list(Network.values)
Arrays = tuple[np.ndarray[Any, Any], ...]


@dataclass(frozen=True)
class Extract:
    """The engine's input and the ids its numbers stand for."""

    signals: Signals
    person_ids: np.ndarray[Any, np.dtype[np.int64]]  # person number → Person.pk
    post_ids: np.ndarray[Any, np.dtype[np.int64]]  # post number → Post.pk
    handle_ids: np.ndarray[Any, np.dtype[np.int64]]  # handle number → Handle.pk
    topic_ids: np.ndarray[Any, np.dtype[np.int64]]  # topic number → Topic.pk


def extract_window(*, as_of: date, params: Params) -> Extract:
    """Every handle of everyone who has not opted out, and the engagement between them in the
    window before `as_of`'s midnight (UTC)."""
    start, end = window(as_of, params)
    return assemble(end, scored_handles(), interactions_between(start, end))


def window(as_of: date, params: Params) -> tuple[datetime, datetime]:
    end = datetime.combine(as_of, clock(), tzinfo=UTC)
    return end - timedelta(days=params.window_days), end


def assemble(end: datetime, handles: Arrays, interactions: Arrays) -> Extract:
    """The engine's input from handles (id, person id, network number, hidden: by id) and
    interactions (actor, target, kind, unix seconds, post id or 0); engagement of handles
    that are not among `handles` is left out."""
    handle_ids, handle_person_ids, networks, hidden = handles
    person_ids, handle_person = unique_inverse(handle_person_ids)
    actor, target, kind, seconds, post = interactions
    actor_at, actor_known = _positions(handle_ids, actor)
    target_at, target_known = _positions(handle_ids, target)
    known = actor_known & target_known
    kept = _kept_rows(known)
    post_ids, post_numbers = unique_inverse(kept(post))
    has_post = post_ids > 0
    number = np.where(has_post[post_numbers], post_numbers - (~has_post).sum(), -1)
    post_ids = post_ids[has_post]
    topic_post, topic_ids, topic_numbers = _post_topics(post_ids)
    signals = Signals(
        handle_person=handle_person.astype(np.int64),
        handle_network=networks,
        handle_hidden=hidden,
        actor=kept(actor_at).astype(np.int64, copy=False),
        target=kept(target_at).astype(np.int64, copy=False),
        kind=kept(kind).astype(np.int64, copy=False),
        age_days=(end.timestamp() - kept(seconds)) / 86_400.0,
        post=number.astype(np.int64, copy=False),
        people=len(person_ids),
        networks=len(NETWORKS),
        post_topic_post=topic_post,
        post_topic_topic=topic_numbers,
        topics=len(topic_ids),
    )
    return Extract(signals, person_ids, post_ids, handle_ids, topic_ids)


def _kept_rows(known: np.ndarray[Any, Any]) -> Callable[[np.ndarray[Any, Any]], Any]:
    """The rows of a column that are `known`: the column itself when all are (the usual
    case), so that ten million rows are not copied for nothing."""
    if known.all():
        return lambda column: column
    return lambda column: column[known]


def _positions(
    ids: np.ndarray[Any, Any], values: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Where each value stands in the sorted `ids`, and whether it is there at all."""
    at = np.searchsorted(ids, values)
    inside = at < len(ids)
    found = np.zeros(len(values), dtype=bool)
    found[inside] = ids[at[inside]] == values[inside]
    return np.where(found, at, 0), found


def interactions_between(start: datetime, end: datetime) -> Arrays:
    """actor, target, kind, unix seconds and post id (0: none) of the window's interactions."""
    if connection.vendor == "postgresql":
        return _interactions_postgres(start, end)
    return interaction_arrays(
        Interaction.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    )


def interaction_arrays(interactions: QuerySet[Interaction]) -> Arrays:
    rows = np.array(
        interactions.values_list("actor_id", "target_id", "kind", "occurred_at", "post_id"),
        dtype=object,
    ).reshape(-1, 5)
    seconds = np.array([moment.timestamp() for moment in rows[:, 3]], dtype=np.float64)
    posts = np.array([p or 0 for p in rows[:, 4]], dtype=np.int64)
    return (
        rows[:, 0].astype(np.int64),
        rows[:, 1].astype(np.int64),
        rows[:, 2].astype(np.int64),
        seconds,
        posts,
    )


def _interactions_postgres(start: datetime, end: datetime) -> Arrays:
    from scoring.ingest.bulk_postgres import POSTGRES_EPOCH_SECONDS, read_packed

    rows = read_packed(
        "FROM scoring_interaction WHERE occurred_at >= %s AND occurred_at < %s",
        [start, end],
        [
            ("actor", "actor_id", "bigint"),
            ("target", "target_id", "bigint"),
            ("kind", "kind", "smallint"),
            ("micros", "occurred_at", "timestamptz"),
            ("post", "coalesce(post_id, 0)", "bigint"),
        ],
        spread="actor_id",
    )
    seconds = rows["micros"] / 1e6 + POSTGRES_EPOCH_SECONDS
    return (
        rows["actor"].astype(np.int64),
        rows["target"].astype(np.int64),
        rows["kind"].astype(np.int64),
        seconds,
        rows["post"].astype(np.int64),
    )


def _post_topics(post_ids: np.ndarray[Any, Any]) -> Arrays:
    """The approved topics of the window's posts: post numbers, and topic ids numbered."""
    if connection.vendor == "postgresql":
        from scoring.ingest.bulk_postgres import copy_arrays, read_packed

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE window_post (id bigint) ON COMMIT DROP")
            copy_arrays("window_post", {"id": post_ids})
            cursor.execute("ANALYZE window_post")
            rows = read_packed(
                "FROM window_post w JOIN scoring_post_topics pt ON pt.post_id = w.id "
                "JOIN scoring_topic t ON t.id = pt.topic_id AND t.status = %s",
                [TopicStatus.APPROVED],
                [("post", "pt.post_id", "bigint"), ("topic", "pt.topic_id", "bigint")],
                spread="pt.post_id",
            )
            cursor.execute("DROP TABLE window_post")  # a caller's transaction may go on
        posts, topics = rows["post"].astype(np.int64), rows["topic"].astype(np.int64)
    else:
        pairs = np.array(
            Post.topics.through.objects.filter(topic__status=TopicStatus.APPROVED).values_list(
                "post_id", "topic_id"
            ),
            dtype=np.int64,
        ).reshape(-1, 2)
        posts, topics = pairs[:, 0], pairs[:, 1]
    post_at, found = _positions(post_ids, posts)
    topic_ids, topic_numbers = unique_inverse(topics[found])
    return post_at[found].astype(np.int64), topic_ids, topic_numbers


def scored_handles() -> Arrays:
    """id, person id, network number and hidden flag of the handles of everyone who has not
    opted out, by id."""
    if connection.vendor == "postgresql":
        from scoring.ingest.bulk_postgres import read_packed

        rows = read_packed(
            "FROM scoring_handle h JOIN scoring_person p ON p.id = h.person_id "
            "WHERE NOT p.opted_out",
            [NETWORKS],
            [
                ("id", "h.id", "bigint"),
                ("person", "h.person_id", "bigint"),
                ("network", "array_position(%s, h.network::text) - 1", "integer"),
                ("hidden", "h.is_private AND NOT h.access_granted", "boolean"),
            ],
            spread="h.id",
        )
        rows = rows[np.argsort(rows["id"])]
        return (
            rows["id"].astype(np.int64),
            rows["person"].astype(np.int64),
            rows["network"].astype(np.int64),
            rows["hidden"].astype(bool),
        )
    return handle_arrays(Handle.objects.filter(person__opted_out=False))


def handle_arrays(handles: QuerySet[Handle]) -> Arrays:
    rows = np.array(
        handles.order_by("pk").values_list(
            "pk", "person_id", "network", "is_private", "access_granted"
        ),
        dtype=object,
    ).reshape(-1, 5)
    return (
        rows[:, 0].astype(np.int64),
        rows[:, 1].astype(np.int64),
        np.array([NETWORKS.index(n) for n in rows[:, 2]], dtype=np.int64),
        rows[:, 3].astype(bool) & ~rows[:, 4].astype(bool),
    )


def window_write(extract: Extract, params: Params, as_of: date, url: str) -> Extract:
    """The window and its parameters as Parquet at `url`, for a compute step that reads them
    there (the Spark job on a cluster); and the extract with its engagement in the order
    written, which `signals_read` gives back: the one to score."""
    ordered = replace(extract, signals=in_day_order(extract.signals))
    signals_write(ordered.signals, as_of, url, params=params)
    return ordered


def window_check(extract: Extract, as_of: date, url: str) -> None:
    """Nothing, if the window at `url` is the extract's: the same day, handles, people and
    engagement (in any order), numbered alike, so that the numbers of scores a compute step
    elsewhere found from it name the people of this extract's ids. Else a LayoutError: the
    database has moved on since the window was written."""
    if not url:
        raise LayoutError("SCORING_WINDOW_URL is empty: it names the window the scores are of")
    if window_as_of(url) != as_of or window_digest(url) != signals_digest(extract.signals):
        raise LayoutError(
            f"the window at {url} is not the window of {as_of} in the database now: "
            "write it and score it again"
        )
