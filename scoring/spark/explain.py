"""The explanations' counterfactual on DataFrames: scoring.engine.explain.without_new_engagement,
scored by the job beside the scores, so that the Django host that loads them need not."""

from dataclasses import replace

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from scoring.engine.model import Params
from scoring.spark.frames import StandingFrames, World
from scoring.spark.scores import score_frames


def without_new_engagement(
    spark: SparkSession, world: World, params: Params, standing: StandingFrames
) -> DataFrame:
    """(person, score) of each person engaged with on the last day: their score had nobody
    engaged with them that day, from the older engagement they received alone, everyone's
    influence, automation and selectivity as `standing` (the day's scores) has them."""
    owners = world.handles.select(F.col("handle").alias("target"), "person")
    received = world.interactions.join(owners, "target")
    engaged = received.where(F.col("age_days") < 1.0).select("person").distinct()
    older = received.where(F.col("age_days") >= 1.0).join(engaged, "person", "left_semi")
    alone = replace(
        world,
        interactions=older.drop("person"),
        post_topics=world.post_topics.limit(0),  # topics play no part in the score
        topics=0,
    )
    again = score_frames(spark, alone, params, standing).people
    return again.join(engaged, "person", "left_semi").select("person", "score")
