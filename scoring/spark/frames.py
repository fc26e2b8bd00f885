"""The compute step's inputs and outputs as DataFrames, and the engine's arrays made into them.

Inputs keep the window's Parquet layout (docs in scoring/engine/parquet.py): handles (handle,
person, network, hidden), interactions (actor, target, kind, age_days, post), post_topics
(post, topic). Outputs keep the scores layout: people, handles, network_raw, tops.
"""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession

from scoring.engine.model import Signals, Standing

HANDLES = "handle long, person long, network long, hidden boolean"
INTERACTIONS = "actor long, target long, kind long, age_days double, post long"
POST_TOPICS = "post long, topic long"
INFLUENCE = "person long, influence double"
HANDLE_STANDING = "handle long, automation double, selectivity double"


@dataclass(frozen=True)
class World:
    """One window of engagement (`scoring.engine.model.Signals`) as DataFrames."""

    handles: DataFrame
    interactions: DataFrame
    post_topics: DataFrame
    people: int
    networks: int
    topics: int


@dataclass(frozen=True)
class StandingFrames:
    """`scoring.engine.model.Standing`: influence per person, automation and selectivity per
    handle."""

    influence: DataFrame
    handles: DataFrame


@dataclass(frozen=True)
class ScoreFrames:
    """`scoring.engine.model.Scores` in the scores layout: `people` (person and one column a
    per-person array), `handles` (handle, automation, selectivity), `network_raw` (person,
    network, value; no zeros) and `tops` (person, list, rank, item, weight)."""

    people: DataFrame
    handles: DataFrame
    network_raw: DataFrame
    tops: DataFrame


def world_from_signals(spark: SparkSession, signals: Signals) -> World:
    handles = len(signals.handle_person)
    return World(
        handles=_frame(
            spark,
            HANDLES,
            np.arange(handles, dtype=np.int64),
            signals.handle_person,
            signals.handle_network,
            signals.handle_hidden,
        ),
        interactions=_frame(
            spark,
            INTERACTIONS,
            signals.actor,
            signals.target,
            signals.kind,
            signals.age_days,
            signals.post,
        ),
        post_topics=_frame(spark, POST_TOPICS, signals.post_topic_post, signals.post_topic_topic),
        people=signals.people,
        networks=signals.networks,
        topics=signals.topics,
    )


def standing_frames(spark: SparkSession, standing: Standing) -> StandingFrames:
    people, handles = len(standing.influence), len(standing.automation)
    return StandingFrames(
        influence=_frame(spark, INFLUENCE, np.arange(people, dtype=np.int64), standing.influence),
        handles=_frame(
            spark,
            HANDLE_STANDING,
            np.arange(handles, dtype=np.int64),
            standing.automation,
            standing.selectivity,
        ),
    )


def _frame(spark: SparkSession, schema: str, *columns: np.ndarray) -> DataFrame:
    names = [part.split()[0] for part in schema.split(",")]
    table = pa.table(dict(zip(names, columns, strict=True)))
    return spark.createDataFrame(table, schema=schema)
