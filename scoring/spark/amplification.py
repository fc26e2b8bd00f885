"""Per handle: Σ E² / Σ E over its pieces of content (scoring.engine.compute._amplification).

A piece of content is a post, or for engagement whose post is not known, the target handle's
day; E is the number of distinct handles it moved, saturated, each worth its selectivity."""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from scoring.engine.model import Params
from scoring.spark.curves import saturate


def content_engagement(weighted: DataFrame, selectivity: DataFrame, params: Params) -> DataFrame:
    """post, day, target, engagement (E) of each piece of content; post is -1 for a target's
    day of engagement on no known post, and day is -1 for a post."""
    used = F.col("weight") > 0
    if not params.amplify_unknown_posts:
        used &= F.col("post") >= 0
    known = F.col("post") >= 0
    day = F.when(known, F.lit(-1)).otherwise(F.floor(F.col("age_days") / params.day_bucket))
    per_actor = (
        weighted.where(used)
        .groupBy("post", day.alias("day"), "target", "actor")
        .agg(F.sum("weight").alias("total"))
        .join(selectivity.withColumnRenamed("handle", "actor"), "actor")
    )
    moved = saturate(F.col("total"), params) * F.col("selectivity")
    return per_actor.groupBy("post", "day", "target").agg(F.sum(moved).alias("engagement"))


def amplification(content: DataFrame) -> DataFrame:
    """target (handle), amplification, for handles whose content moved anyone."""
    energy = F.col("engagement")
    sums = content.groupBy("target").agg(
        F.sum(energy * energy).alias("square"), F.sum(energy).alias("total")
    )
    ratio = F.when(F.col("total") > 0, F.col("square") / F.col("total")).otherwise(0.0)
    return sums.select("target", ratio.alias("amplification"))
