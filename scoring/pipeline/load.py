"""The load step: a day's scores written as one snapshot a person (COPY on PostgreSQL), and for
a live run each person's current score, explained, and their topics, all in one transaction,
so that readers never see half a day. The scores come from the compute step, in this process
or read back from its Parquet output (scoring.engine.parquet.scores_read)."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import numpy as np
import orjson
from django.conf import settings
from django.db import connection, transaction

from marketplace.queueing import queue_on_commit
from scoring.engine.model import Scores
from scoring.engine.parquet import LayoutError, scores_read
from scoring.models import Person, PersonTopic, ScoreDetails, ScoreSnapshot
from scoring.pipeline.explanations import details
from scoring.pipeline.extract import Extract

Reasons = dict[int, list[dict[str, Any]]]


def day_load(*, day: date, scores: Scores, extract: Extract, reasons: Reasons | None) -> None:
    """The day's snapshots of the scores' model; with `reasons` (a live run), people's current
    scores, details and topics too, and the work that depends on fresh scores queued."""
    with transaction.atomic():
        if reasons is not None:
            _update_people(day, scores, extract, reasons)
            _replace_person_topics(scores, extract)
            Person.objects.filter(opted_out=True).exclude(score=None).update(
                score=None, score_day=None, percentile=None, score_model=""
            )
            for task_name in settings.SCORING_AFTER_RUN:  # what depends on fresh scores
                queue_on_commit(task_name)
        _write_snapshots(day, scores.version, scores, extract)


def scores_load(url: str, extract: Extract, version: str) -> Scores:
    """The scores of the model `version` a compute step elsewhere left at `url` for the
    extract's window (`window_check`), if they number its people, handles, posts and topics."""
    scores = scores_read(url)
    found = (scores.version, len(scores.score), len(scores.handle_automation))
    wanted = (version, extract.signals.people, len(extract.handle_ids))
    if found != wanted:
        raise LayoutError(f"{url} holds the scores (model, people, handles) {found}, not {wanted}")
    people, posts, topics = len(extract.person_ids), len(extract.post_ids), len(extract.topic_ids)
    for numbers, bound in [
        (scores.top_contributors, people),
        (scores.influencers, people),
        (scores.influencees, people),
        (scores.top_posts, posts),
        (scores.top_topics, topics),
    ]:
        if numbers.max(initial=-1) >= bound:
            raise LayoutError(f"{url} names a person, post or topic the window does not hold")
    return scores


def _write_snapshots(day: date, version: str, scores: Scores, extract: Extract) -> None:
    ScoreSnapshot.objects.filter(day=day, model_version=version).delete()
    people = len(extract.person_ids)
    columns = {
        "person_id": extract.person_ids,
        "score": scores.score,
        "reach": scores.reach.round(3),
        "amplification": scores.amplification.round(3),
        "network": scores.network.round(3),
        "persistence": scores.persistence.round(3),
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


def _update_people(day: date, scores: Scores, extract: Extract, reasons: Reasons) -> None:
    """People's current scores, and their details made as they are written (details() a slice
    of people at a time): at millions of people, all the dictionaries at once would take more
    memory than the whole run otherwise does."""
    ids = extract.person_ids.tolist()

    def scored() -> Iterator[tuple[int, float, float]]:
        return zip(ids, scores.score.tolist(), scores.percentile.tolist(), strict=True)

    explained = (
        (pk, data | {"reasons": reasons.get(pk, [])})
        for pk, data in zip(ids, details(scores, extract), strict=True)
    )
    ScoreDetails.objects.all().delete()  # the rows hold everyone scored: each person with a handle
    if connection.vendor == "postgresql":
        from scoring.ingest.bulk_postgres import copy_rows, update_rows

        update_rows(
            "scoring_person",
            {"score": "float8", "score_day": "date", "percentile": "float8", "score_model": "text"},
            ((pk, score, day, percentile, scores.version) for pk, score, percentile in scored()),
        )
        copy_rows(
            "scoring_scoredetails",
            "person_id, data",
            ((pk, orjson.dumps(data).decode()) for pk, data in explained),
        )
        return
    people = Person.objects.in_bulk(ids)
    for pk, score, percentile in scored():
        person = people[pk]
        person.score, person.score_day, person.percentile = score, day, percentile
        person.score_model = scores.version
    Person.objects.bulk_update(
        people.values(), ["score", "score_day", "percentile", "score_model"], batch_size=2000
    )
    ScoreDetails.objects.bulk_create(
        (ScoreDetails(person_id=pk, data=data) for pk, data in explained), batch_size=2000
    )
