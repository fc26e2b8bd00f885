"""Topic influence (scoring.engine.topics): the score's parts counted only over the engagement
a person's own posts about a topic received, for topics earned by enough posts and people."""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from scoring.engine.model import Params
from scoring.spark.curves import calibrated, log_mix, saturate
from scoring.spark.persistence import persistence


def topic_scores(
    weighted: DataFrame,
    post_topics: DataFrame,
    handles: DataFrame,
    influence: DataFrame,
    content: DataFrame,
    params: Params,
) -> DataFrame:
    """person, topic, score for each topic a person earned. `weighted` holds the interactions
    with their discounted weight, `handles` each handle's person and selectivity, `content`
    each piece of content's engagement (E)."""
    counted = (F.col("post") >= 0) & (F.col("weight") > 0) & ~F.col("target_hidden")
    rows = weighted.where(counted).join(post_topics, "post")
    pairs = rows.groupBy("actor", "actor_person", "target", "topic").agg(
        F.sum("weight").alias("total")
    )
    worth = handles.select(F.col("handle").alias("actor"), "selectivity")
    engaged = (
        pairs.join(worth, "actor")
        .join(influence.withColumnRenamed("person", "actor_person"), "actor_person", "left")
        .select(
            "actor_person",
            "target",
            "topic",
            (saturate(F.col("total"), params) * F.col("selectivity")).alias("engaged"),
            F.coalesce(F.col("influence"), F.lit(0.0)).alias("influence"),
        )
    )
    units = engaged.groupBy("target", "topic").agg(
        F.sum("engaged").alias("reach"),
        F.sum(F.col("engaged") * F.col("influence")).alias("network"),
    )
    amplified = units.join(
        _amplification_by_unit(post_topics, content), ["target", "topic"], "left"
    )
    raw = log_mix(
        F.col("reach"), F.coalesce(F.col("amplification"), F.lit(0.0)), F.col("network"), params
    )
    if params.persistence_weight:
        held = persistence(rows, ["target", "topic"])
        amplified = amplified.join(held, ["target", "topic"], "left")
        raw += params.persistence_weight * F.log1p(F.coalesce(F.col("held"), F.lit(0.0)))
    owners = handles.select(F.col("handle").alias("target"), "person")
    per_person = (
        amplified.join(owners, "target")
        .groupBy("person", "topic")
        .agg(F.sum(raw).alias("raw"), F.sum(F.coalesce(F.col("posts"), F.lit(0))).alias("posts"))
    )
    people = (
        engaged.join(owners, "target")
        .groupBy("person", "topic")
        .agg(F.countDistinct("actor_person").alias("people"))
    )
    earned = per_person.join(people, ["person", "topic"]).where(
        (F.col("people") >= params.topic_min_people) & (F.col("posts") >= params.topic_min_posts)
    )
    return earned.select("person", "topic", calibrated(F.col("raw"), params).alias("score"))


def _amplification_by_unit(post_topics: DataFrame, content: DataFrame) -> DataFrame:
    """target, topic, amplification, posts: Σ E² / Σ E over a handle's posts about a topic
    that drew anyone, and how many those are."""
    drew = content.where((F.col("post") >= 0) & (F.col("engagement") > 0))
    energy = F.col("engagement")
    return (
        drew.join(post_topics, "post")
        .groupBy("target", "topic")
        .agg(
            F.sum(energy * energy).alias("square"),
            F.sum(energy).alias("total"),
            F.count("*").alias("posts"),
        )
        .select(
            "target",
            "topic",
            F.when(F.col("total") > 0, F.col("square") / F.col("total"))
            .otherwise(0.0)
            .alias("amplification"),
            "posts",
        )
    )
