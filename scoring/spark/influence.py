"""What each person's engagement is worth: scoring.engine.compute._influence, iterated as
joins of the people's u with the pairs of people, one Spark job a step."""

from pyspark.sql import DataFrame, Observation
from pyspark.sql import functions as F

from scoring.engine.model import Params


def influence(person_pairs: DataFrame, params: Params) -> DataFrame:
    """person, influence (u) for everyone anyone engaged with; everyone else's u is 0.

    Each step reads the last step's u from a local checkpoint, so the plan stays one step
    long, and measures its largest change on the way (an Observation): the same stopping rule
    as the engine, so the same number of steps."""
    pairs = (
        person_pairs.select(
            F.col("actor_person").alias("engager"), F.col("target_person").alias("person"), "value"
        )
        .repartition("engager")
        .cache()
    )
    u = pairs.select("person").distinct().withColumn("u", F.lit(0.0)).localCheckpoint()
    for _ in range(params.influence_iterations):
        change = Observation()
        u, done = _step(pairs, u, params, change)
        if done:
            break
    pairs.unpersist()
    return u.select("person", F.col("u").alias("influence"))


def _step(
    pairs: DataFrame, u: DataFrame, params: Params, change: Observation
) -> tuple[DataFrame, bool]:
    worth = 1.0 + params.influence_damping * F.coalesce(F.col("engager_u"), F.lit(0.0))
    engagers = u.select(F.col("person").alias("engager"), F.col("u").alias("engager_u"))
    x = (
        pairs.join(engagers, "engager", "left")
        .groupBy("person")
        .agg(F.log1p(F.sum(F.col("value") * worth)).alias("x"))
    )
    updated = x.select("person", (F.col("x") / (F.col("x") + params.influence_half)).alias("u"))
    before = u.select("person", F.col("u").alias("before"))
    measured = updated.join(before, "person").observe(
        change, F.max(F.abs(F.col("u") - F.col("before"))).alias("change")
    )
    stepped = measured.select("person", "u").localCheckpoint()
    largest = change.get["change"]
    return stepped, largest is None or largest < params.influence_tolerance
