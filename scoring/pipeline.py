"""The daily run: extract a window of signals as arrays, score them with the engine, and write
one snapshot a person for the day, replacing that day's atomically."""

import gc
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import orjson
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from numpy.typing import NDArray

from marketplace.queueing import queue_on_commit
from scoring.engine.compute import compute
from scoring.engine.explain import new_engagement, without_new_engagement
from scoring.engine.grouping import unique_inverse
from scoring.engine.model import Params, Scores, Signals
from scoring.engine.ranking import percentiles
from scoring.models import (
    SCORE_PARTS,
    Handle,
    Interaction,
    Network,
    Person,
    PersonTopic,
    Post,
    ScoreDetails,
    ScoreSnapshot,
    TopicStatus,
)
from scoring.selectors.explanations import reasons

if TYPE_CHECKING:
    from django.db.backends.postgresql.schema import DatabaseSchemaEditor as PostgresSchemaEditor

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


@dataclass(frozen=True)
class RunSummary:
    as_of: date
    model: str
    people: int
    scored: int  # people with any engagement
    median: float
    p95: float
    p99: float
    max: float
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "as_of": self.as_of.isoformat()}


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The run makes millions of lists and dictionaries, none in a reference cycle; each time
    they pass a threshold the collector would walk all of them again (docs/PERFORMANCE.md,
    "The whole pipeline")."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@_without_cycle_collection()
def run(*, as_of: date, params: Params, live: bool) -> tuple[RunSummary, Scores, Extract]:
    """Score the day `as_of` (signals before its midnight). A live run also updates each
    person's current score; a shadow run writes only its own snapshots."""
    started = time.monotonic()
    extract = extract_window(as_of=as_of, params=params)
    scores = compute(extract.signals, params)
    with targeting_index_set_aside(live), transaction.atomic():
        if live:
            _update_people(as_of, scores, extract, _reasons(as_of, params, scores, extract))
            _replace_person_topics(scores, extract)
            Person.objects.filter(opted_out=True).exclude(score=None).update(
                score=None, score_day=None, percentile=None, score_model=""
            )
            for task_name in settings.SCORING_AFTER_RUN:  # what depends on fresh scores
                queue_on_commit(task_name)
        _write_snapshots(as_of, params.version, scores, extract)
    if live:
        _refresh_statistics()
    return _summary(as_of, scores, extract, started), scores, extract


def scored_days(days: Iterable[date], version: str) -> set[date]:
    """Those of `days` that have snapshots of the model: days a run has scored."""
    of_model = ScoreSnapshot.objects.filter(model_version=version)
    return {day for day in days if of_model.filter(day=day).exists()}


def backfill(*, days: Sequence[date], params: Params) -> Iterator[RunSummary]:
    """Score each of `days` (oldest first) as the nightly run would have, each from the window
    before it, and write only its snapshots: the past days of everyone's history. A live run
    of the day after them then sets current scores, topics and reasons, which compare with
    the last of these days. The signals of all the windows are read once, and the handles as
    they are now (who has opted out, which handles are joined)."""
    if not days:
        return
    handles = scored_handles()
    interactions = interactions_between(window(days[0], params)[0], window(days[-1], params)[1])
    seconds = interactions[3]
    with _without_cycle_collection():
        for day in days:
            started = time.monotonic()
            start, end = window(day, params)
            inside = (seconds >= start.timestamp()) & (seconds < end.timestamp())
            extract = assemble(end, handles, tuple(column[inside] for column in interactions))
            scores = compute(extract.signals, params)
            with transaction.atomic():
                _write_snapshots(day, params.version, scores, extract)
            yield _summary(day, scores, extract, started)


def _summary(day: date, scores: Scores, extract: Extract, started: float) -> RunSummary:
    engaged = scores.score[scores.reach > 0]
    quantiles = np.percentile(engaged, [50, 95, 99]) if len(engaged) else np.zeros(3)
    return RunSummary(
        as_of=day,
        model=scores.version,
        people=extract.signals.people,
        scored=len(engaged),
        median=round(float(quantiles[0]), 2),
        p95=round(float(quantiles[1]), 2),
        p99=round(float(quantiles[2]), 2),
        max=round(float(scores.score.max(initial=1.0)), 2),
        seconds=round(time.monotonic() - started, 2),
    )


@contextmanager
def targeting_index_set_aside(live: bool) -> Iterator[None]:
    """A live run rewrites most people's scores. With the person_targeting index in place,
    each rewrite adds an entry to every index of the table: no update can be HOT, and the
    rewrite takes several times as long (docs/PERFORMANCE.md, "The live estimate"). So the
    index is dropped before and built again after, both CONCURRENTLY: reads and writes go on,
    and a campaign's estimate counts by a sequential scan meanwhile. Then the table is
    vacuumed, so that every page is all-visible and the estimate's scan index-only again.
    PostgreSQL only, and not inside a caller's transaction (a test's), where neither can run:
    there the index stays."""
    if not live or connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    (index,) = (i for i in Person._meta.indexes if i.name == "person_targeting")
    with connection.schema_editor(atomic=False) as editor:
        cast("PostgresSchemaEditor", editor).remove_index(Person, index, concurrently=True)
    try:
        yield
    finally:
        with connection.schema_editor(atomic=False) as editor:
            postgres = cast("PostgresSchemaEditor", editor)
            postgres.remove_index(Person, index, concurrently=True)  # a failed build's remains
            postgres.add_index(Person, index, concurrently=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) scoring_person")


def _refresh_statistics() -> None:
    """The planner's figures for the tables a live run rewrote, and the topics they name, which
    the profile page's statement is planned by (docs/PERFORMANCE.md, "Profile pages"): without
    them it walks every approved topic for each page. Autovacuum may be off, or not there yet.
    The people's table gets its figures from `targeting_index_set_aside`'s VACUUM (ANALYZE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE scoring_persontopic, scoring_scoredetails, scoring_topic")


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
    post_ids, post_numbers = unique_inverse(post[known])
    has_post = post_ids > 0
    number = np.where(has_post[post_numbers], post_numbers - (~has_post).sum(), -1)
    post_ids = post_ids[has_post]
    topic_post, topic_ids, topic_numbers = _post_topics(post_ids)
    signals = Signals(
        handle_person=handle_person.astype(np.int64),
        handle_network=networks,
        handle_hidden=hidden,
        actor=actor_at[known].astype(np.int64),
        target=target_at[known].astype(np.int64),
        kind=kind[known].astype(np.int64),
        age_days=(end.timestamp() - seconds[known]) / 86_400.0,
        post=number.astype(np.int64),
        people=len(person_ids),
        networks=len(NETWORKS),
        post_topic_post=topic_post,
        post_topic_topic=topic_numbers,
        topics=len(topic_ids),
    )
    return Extract(signals, person_ids, post_ids, handle_ids, topic_ids)


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


def _write_snapshots(day: date, version: str, scores: Scores, extract: Extract) -> None:
    ScoreSnapshot.objects.filter(day=day, model_version=version).delete()
    people = len(extract.person_ids)
    columns = {
        "person_id": extract.person_ids,
        "score": scores.score,
        "reach": scores.reach.round(3),
        "amplification": scores.amplification.round(3),
        "network": scores.network.round(3),
        "percentile": scores.percentile,
    }
    if connection.vendor == "postgresql":
        from scoring.ingest.bulk_postgres import POSTGRES_EPOCH, copy_arrays

        label = version.encode()
        copy_arrays(
            "scoring_scoresnapshot",
            columns
            | {
                "day": np.full(people, (day - POSTGRES_EPOCH).days, dtype=np.int32),
                "model_version": np.full(people, label, dtype=f"S{len(label)}"),
            },
        )
        return
    # Rows straight to the cursor: a quarter of bulk_create's time, which makes a model
    # instance of each (a backfill writes one day after another: compute_scores --since).
    names = ["day", "model_version", *columns]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO scoring_scoresnapshot ({', '.join(names)}) "  # noqa: S608 (code constants, no input)
            f"VALUES ({', '.join(['%s'] * len(names))})",
            [
                (day.isoformat(), version, *values)
                for values in zip(*(column.tolist() for column in columns.values()), strict=True)
            ],
        )


def _replace_person_topics(scores: Scores, extract: Extract) -> None:
    person, rank = np.nonzero(scores.top_topics >= 0)
    columns = {
        "person_id": extract.person_ids[person],
        "topic_id": extract.topic_ids[scores.top_topics[person, rank]],
        "score": scores.topic_scores[person, rank],
    }
    PersonTopic.objects.all().delete()
    if connection.vendor == "postgresql":
        from scoring.ingest.bulk_postgres import copy_arrays

        copy_arrays("scoring_persontopic", columns)
        return
    PersonTopic.objects.bulk_create(
        (
            PersonTopic(person_id=p, topic_id=t, score=s)
            for p, t, s in zip(*(column.tolist() for column in columns.values()), strict=True)
        ),
        batch_size=2000,
    )


def _reasons(
    day: date, params: Params, scores: Scores, extract: Extract
) -> dict[int, list[dict[str, Any]]]:
    return reasons(
        day=day,
        scores=scores,
        without_new=without_new_engagement(extract.signals, params, scores),
        fresh=new_engagement(extract.signals, scores),
        person_ids=extract.person_ids,
        post_ids=extract.post_ids,
        handle_ids=extract.handle_ids,
    )


def _update_people(
    day: date, scores: Scores, extract: Extract, reasons: dict[int, list[dict[str, Any]]]
) -> None:
    ids = extract.person_ids.tolist()
    rows = [
        (pk, score, day, percentile, explained | {"reasons": reasons.get(pk, [])})
        for pk, score, percentile, explained in zip(
            ids,
            scores.score.tolist(),
            scores.percentile.tolist(),
            details(scores, extract),
            strict=True,
        )
    ]
    ScoreDetails.objects.all().delete()  # the rows hold everyone scored: each person with a handle
    if connection.vendor == "postgresql":
        _update_people_postgres(rows, scores.version)
        return
    people = Person.objects.in_bulk(ids)
    for pk, score, score_day, percentile, _ in rows:
        person = people[pk]
        person.score, person.score_day, person.percentile = score, score_day, percentile
        person.score_model = scores.version
    Person.objects.bulk_update(
        people.values(), ["score", "score_day", "percentile", "score_model"], batch_size=2000
    )
    ScoreDetails.objects.bulk_create(
        (ScoreDetails(person_id=pk, data=explained) for pk, *_, explained in rows),
        batch_size=2000,
    )


def _update_people_postgres(
    rows: list[tuple[int, float, date, float, dict[str, Any]]], version: str
) -> None:
    from scoring.ingest.bulk_postgres import copy_rows, update_rows

    update_rows(
        "scoring_person",
        {"score": "float8", "score_day": "date", "percentile": "float8", "score_model": "text"},
        ((pk, s, d, p, version) for pk, s, d, p, _ in rows),
    )
    copy_rows(
        "scoring_scoredetails",
        "person_id, data",
        ((pk, orjson.dumps(details).decode()) for pk, *_, details in rows),
    )


def details(scores: Scores, extract: Extract) -> Iterator[dict[str, Any]]:
    """Each person's score explained: its parts and who and what contributed most. Columns
    become lists first, so that no NumPy scalar is made a person."""
    person_ids, post_ids = extract.person_ids, extract.post_ids

    def ranked(ids: np.ndarray[Any, Any], columns: NDArray, weights: NDArray) -> Iterator[Any]:
        """Each row's (id, weight) pairs: all rows' pairs made at once, then sliced per row
        (the -1 padding is at the end of a row)."""
        known = columns >= 0
        pairs = list(
            zip(ids[columns[known]].tolist(), weights[known].round(3).tolist(), strict=True)
        )
        ends = np.cumsum(known.sum(axis=1)).tolist()
        starts = [0, *ends][:-1]
        return (pairs[start:end] for start, end in zip(starts, ends, strict=True))

    network_parts = scores.network_raw.round(4).tolist()
    # Each part's standing among everyone scored, as the score's own percentile is: from the
    # rounded figures the snapshots keep, so that a rescore (scoring.services.rescore) ranks alike.
    standings = zip(
        *(percentiles(getattr(scores, part).round(3)).tolist() for part in SCORE_PARTS),
        strict=True,
    )
    automated = _discounted_handles(scores.handle_automation, extract)
    selective = _discounted_handles(scores.handle_selectivity, extract)
    for person, (
        reach,
        amplification,
        network,
        raw,
        parts,
        contributors,
        influencers,
        influencees,
        posts,
        topics,
        influence,
        standing,
    ) in enumerate(
        zip(
            scores.reach.round(3).tolist(),
            scores.amplification.round(3).tolist(),
            scores.network.round(3).tolist(),
            scores.raw.round(4).tolist(),
            network_parts,
            ranked(person_ids, scores.top_contributors, scores.top_contributions),
            ranked(person_ids, scores.influencers, scores.influencer_weights),
            ranked(person_ids, scores.influencees, scores.influencee_weights),
            ranked(post_ids, scores.top_posts, scores.top_post_engagement),
            ranked(extract.topic_ids, scores.top_topics, scores.topic_scores),
            scores.influence.round(6).tolist(),
            standings,
            strict=True,
        )
    ):
        yield {
            "model": scores.version,
            "reach": reach,
            "amplification": amplification,
            "network": network,
            "percentiles": dict(zip(SCORE_PARTS, standing, strict=True)),
            "raw": raw,
            "networks": {NETWORKS[n]: part for n, part in enumerate(parts) if part > 0},
            "contributors": contributors,
            "influencers": influencers,
            "influencees": influencees,
            "posts": posts,
            "topics": topics,
            "influence": influence,
            "automated": automated.get(person, []),  # handles whose engagement is discounted
            "selective": selective.get(person, []),  # … and those that engage with very many
        }


def _discounted_handles(worth: NDArray, extract: Extract) -> dict[int, list[tuple[int, float]]]:
    """Person number → (handle id, worth) of their handles whose engagement is worth less
    than 1: what scoring a part of the world (scoring.services.rescore) takes from the day's run."""
    by_person: dict[int, list[tuple[int, float]]] = defaultdict(list)
    discounted = np.flatnonzero(worth < 1.0)
    for handle, person, value in zip(
        extract.handle_ids[discounted].tolist(),
        extract.signals.handle_person[discounted].tolist(),
        worth[discounted].round(6).tolist(),
        strict=True,
    ):
        by_person[person].append((handle, value))
    return by_person
