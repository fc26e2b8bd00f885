"""The score on DataFrames: scoring.engine.compute.compute, step for step (docs/SCORING.md)."""

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from scoring.engine.model import Params
from scoring.spark.amplification import amplification, content_engagement
from scoring.spark.curves import calibrated, log_mix
from scoring.spark.frames import ScoreFrames, StandingFrames, World
from scoring.spark.influence import influence
from scoring.spark.persistence import persistence
from scoring.spark.ranking import percentiles, top_per_row
from scoring.spark.topics import topic_scores
from scoring.spark.weights import (
    automation_discount,
    discounted,
    saturated_pairs,
    selectivity,
    weighted_interactions,
)


def score_frames(
    spark: SparkSession, world: World, params: Params, standing: StandingFrames | None = None
) -> ScoreFrames:
    """Score everyone in `world`; given a `standing`, influence, automation and selectivity
    are taken from it instead of found from `world`."""
    handles = world.handles.cache()
    weighted = weighted_interactions(world.interactions, handles, params)
    if standing is None:
        undiscounted = saturated_pairs(weighted, params)
        automation = automation_discount(handles, weighted, undiscounted, params)
    else:
        automation = standing.handles.select("handle", "automation")
    weighted = discounted(weighted, automation, params).cache()
    pairs = saturated_pairs(weighted, params).cache()
    person_pairs = _person_pairs(pairs, handles).cache()
    if standing is None:
        worth = selectivity(handles, pairs, params)
        found = influence(person_pairs, params)
    else:
        worth = standing.handles.select("handle", "selectivity")
        found = standing.influence
    valued_handles = handles.join(automation, "handle").join(worth, "handle").cache()
    content = content_engagement(weighted, worth, params).cache()
    held = (
        persistence(weighted, ["target"]).withColumnRenamed("target", "handle")
        if params.persistence_weight
        else None
    )
    per_handle = _handle_parts(valued_handles, pairs, found, content, held, params).cache()
    people = _people(spark, world, per_handle, found, params)
    tops = [
        *_person_tops(person_pairs, found, params),
        _post_top(content, handles, params),
        top_per_row(
            topic_scores(weighted, world.post_topics, valued_handles, found, content, params),
            "person",
            "topic",
            "score",
            params.topic_top,
            "topics",
        ),
    ]
    tops_frame = tops[0]
    for top in tops[1:]:
        tops_frame = tops_frame.unionByName(top)
    network_raw = (
        per_handle.groupBy("person", "network")
        .agg(F.sum("raw").alias("value"))
        .where(F.col("value") != 0)
    )
    return ScoreFrames(
        people=people,
        handles=valued_handles.select("handle", "automation", "selectivity"),
        network_raw=network_raw,
        tops=tops_frame,
    )


def _person_pairs(pairs: DataFrame, handles: DataFrame) -> DataFrame:
    """actor_person, target_person, value: the pairs of handles summed over their people."""
    actors = handles.select(F.col("handle").alias("actor"), F.col("person").alias("actor_person"))
    targets = handles.select(
        F.col("handle").alias("target"), F.col("person").alias("target_person")
    )
    return (
        pairs.join(actors, "actor")
        .join(targets, "target")
        .groupBy("actor_person", "target_person")
        .agg(F.sum("value").alias("value"))
    )


def _handle_parts(
    handles: DataFrame,
    pairs: DataFrame,
    found: DataFrame,
    content: DataFrame,
    held: DataFrame | None,
    params: Params,
) -> DataFrame:
    """Per handle: its person, network, automation, and reach, network, amplification and
    persistence (`held`, when the version counts it, else 0; nothing for a private handle) and
    their raw mix."""
    engagers = handles.select(
        F.col("handle").alias("actor"), F.col("person").alias("engager"), "selectivity"
    )
    influence_of = found.select(F.col("person").alias("engager"), "influence")
    valued = F.col("value") * F.col("selectivity")
    received = (
        pairs.join(engagers, "actor")
        .join(influence_of, "engager", "left")
        .groupBy(F.col("target").alias("handle"))
        .agg(
            F.sum(valued).alias("reach"),
            F.sum(valued * F.coalesce(F.col("influence"), F.lit(0.0))).alias("network_value"),
        )
    )
    amplified = amplification(content).withColumnRenamed("target", "handle")
    joined = handles.join(received, "handle", "left").join(amplified, "handle", "left")
    if held is not None:
        joined = joined.join(held, "handle", "left")
    persisted = F.coalesce(F.col("held"), F.lit(0.0)) if held is not None else F.lit(0.0)
    visible = F.when(F.col("hidden"), 0.0).otherwise(1.0)
    parts = joined.select(
        "handle",
        "person",
        "network",
        "hidden",
        "automation",
        (F.coalesce(F.col("reach"), F.lit(0.0)) * visible).alias("reach"),
        (F.coalesce(F.col("network_value"), F.lit(0.0)) * visible).alias("network_value"),
        (F.coalesce(F.col("amplification"), F.lit(0.0)) * visible).alias("amplification"),
        (persisted * visible).alias("persistence"),
    )
    raw = log_mix(F.col("reach"), F.col("amplification"), F.col("network_value"), params)
    return parts.withColumn("raw", raw + params.persistence_weight * F.log1p(F.col("persistence")))


def _people(
    spark: SparkSession, world: World, per_handle: DataFrame, found: DataFrame, params: Params
) -> DataFrame:
    """One row a person, every person, with the per-person columns of Scores."""
    reach = F.col("reach")
    sums = per_handle.groupBy("person").agg(
        F.sum("raw").alias("raw"),
        F.sum(reach).alias("reach"),
        F.sum(F.col("amplification") * reach).alias("weighted_amplification"),
        F.sum("network_value").alias("network"),
        F.sum("persistence").alias("persistence"),
        F.min("automation").alias("automation"),
        F.bool_and("hidden").alias("private"),
    )
    everyone = spark.range(world.people).withColumnRenamed("id", "person")
    joined = everyone.join(sums, "person", "left").join(found, "person", "left")
    total = F.coalesce(reach, F.lit(0.0))
    raw = F.coalesce(F.col("raw"), F.lit(0.0))
    score = F.when(F.coalesce(F.col("private"), F.lit(False)), F.lit(params.private_score))
    people = joined.select(
        "person",
        score.otherwise(calibrated(raw, params)).alias("score"),
        raw.alias("raw"),
        total.alias("reach"),
        F.when(total > 0, F.col("weighted_amplification") / total)
        .otherwise(0.0)
        .alias("amplification"),
        F.coalesce(F.col("network"), F.lit(0.0)).alias("network"),
        F.coalesce(F.col("persistence"), F.lit(0.0)).alias("persistence"),
        F.coalesce(F.col("influence"), F.lit(0.0)).alias("influence"),
        F.least(F.coalesce(F.col("automation"), F.lit(1.0)), F.lit(1.0)).alias("automation"),
    ).cache()
    return people.join(percentiles(people, world.people), "person")


def _person_tops(person_pairs: DataFrame, found: DataFrame, params: Params) -> list[DataFrame]:
    """Top contributors (who are also the influencees), weighted by what their engagement is
    worth, and top influencers, weighted by their influence."""
    engager = found.select(F.col("person").alias("actor_person"), F.col("influence").alias("u"))
    target = found.select(F.col("person").alias("target_person"), F.col("influence").alias("v"))
    entries = person_pairs.join(engager, "actor_person", "left").join(
        target, "target_person", "left"
    )
    worth = 1.0 + params.influence_damping * F.coalesce(F.col("u"), F.lit(0.0))
    entries = entries.select(
        "actor_person",
        "target_person",
        (F.col("value") * worth).alias("contribution"),
        (F.col("value") * F.coalesce(F.col("v"), F.lit(0.0))).alias("influence"),
    ).cache()
    contributors = top_per_row(
        entries, "target_person", "actor_person", "contribution", params.top, "contributors"
    )
    return [
        contributors,
        contributors.withColumn("list", F.lit("influencees")),
        top_per_row(
            entries, "actor_person", "target_person", "influence", params.top, "influencers"
        ),
    ]


def _post_top(content: DataFrame, handles: DataFrame, params: Params) -> DataFrame:
    """Each person's most engaged-with posts."""
    authors = handles.select(F.col("handle").alias("target"), "person")
    posts = content.where(F.col("post") >= 0).join(authors, "target")
    return top_per_row(posts, "person", "post", "engagement", params.top, "posts")
