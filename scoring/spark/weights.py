"""Per interaction and per pair of handles: what engagement weighs (scoring.engine.compute's
signal_weights, _automation_discount, saturated_pairs and _selectivity, as DataFrames)."""

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from scoring.engine.model import Params
from scoring.spark.curves import saturate


def signal_weight(params: Params) -> Column:
    """Each interaction's weight: its kind's, falling with age, fading over the window's end."""
    age = F.col("age_days")
    kinds = F.create_map(*[F.lit(v) for item in params.kind_weights.items() for v in item])
    kind = F.coalesce(kinds[F.col("kind")], F.lit(0.0))
    if params.decay == "hyperbolic":
        decay = 1.0 / (1.0 + age / params.half_life_days)
    else:
        decay = F.pow(F.lit(0.5), age / params.half_life_days)
    inside = (age >= 0) & (age < params.window_days)
    return F.when(inside, kind * decay * fade(params.fade_days, params)).otherwise(0.0)


def fade(days: float, params: Params) -> Column:
    """1 until the window's last `days`, then falling to 0 at its end."""
    falling = (params.window_days - F.col("age_days")) / days
    return F.least(F.greatest(falling, F.lit(0.0)), F.lit(1.0))


def discounted(weighted: DataFrame, automation: DataFrame, params: Params) -> DataFrame:
    """The weights with each actor's automation discount, and what each interaction counts
    for in persistence (`persisting`): its own fade and the discount alone."""
    with_discount = weighted.join(automation.withColumnRenamed("handle", "actor"), "actor")
    weight = F.col("weight") * F.col("automation")
    counts = F.when(weight > 0, fade(params.persistence_fade_days, params)).otherwise(0.0)
    return with_discount.select(
        *[name for name in weighted.columns if name != "weight"],
        weight.alias("weight"),
        (counts * F.col("automation")).alias("persisting"),
    )


def weighted_interactions(interactions: DataFrame, handles: DataFrame, params: Params) -> DataFrame:
    """The interactions with their weight and the people and privacy of both ends; engagement
    with one's own accounts weighs nothing."""
    actors = handles.select(F.col("handle").alias("actor"), F.col("person").alias("actor_person"))
    targets = handles.select(
        F.col("handle").alias("target"),
        F.col("person").alias("target_person"),
        F.col("hidden").alias("target_hidden"),
    )
    joined = interactions.join(actors, "actor").join(targets, "target")
    own = F.col("actor_person") == F.col("target_person")
    return joined.withColumn("weight", F.when(own, 0.0).otherwise(signal_weight(params)))


def saturated_pairs(weighted: DataFrame, params: Params) -> DataFrame:
    """actor, target, value: how much each handle engaged with each other, at most 1."""
    summed = weighted.groupBy("actor", "target").agg(F.sum("weight").alias("total"))
    pairs = summed.select("actor", "target", saturate(F.col("total"), params).alias("value"))
    return pairs.where(F.col("value") != 0)


def automation_discount(
    handles: DataFrame, weighted: DataFrame, pairs: DataFrame, params: Params
) -> DataFrame:
    """handle, automation: 1 up to a machine's volume of output a day, then less and less
    unless people outside those the handle acts on engage with it."""
    per_day = (
        weighted.where(F.col("weight") > 0)
        .groupBy(F.col("actor").alias("handle"))
        .agg((F.count("*") / params.window_days).alias("per_day"))
    )
    back = pairs.select(
        F.col("target").alias("actor"), F.col("actor").alias("target"), F.lit(True).alias("mutual")
    )
    inbound = (
        pairs.join(back, ["actor", "target"], "left")
        .groupBy(F.col("target").alias("handle"))
        .agg(
            F.sum("value").alias("inbound"),
            F.sum(F.when(F.col("mutual"), F.col("value")).otherwise(0.0)).alias("mutual"),
        )
    )
    figures = (
        handles.select("handle").join(per_day, "handle", "left").join(inbound, "handle", "left")
    )
    outside = F.coalesce(F.col("inbound"), F.lit(0.0)) - F.coalesce(F.col("mutual"), F.lit(0.0))
    excess = F.greatest(
        F.coalesce(F.col("per_day"), F.lit(0.0)) / params.automation_volume - 1.0, F.lit(0.0)
    )
    discount = 1.0 / (1.0 + 16.0 * (excess * excess) / (1.0 + outside / params.automation_inbound))
    return figures.select("handle", discount.alias("automation"))


def selectivity(handles: DataFrame, pairs: DataFrame, params: Params) -> DataFrame:
    """handle, selectivity: 1 up to `selective_targets` handles engaged with, then less."""
    targets = pairs.groupBy(F.col("actor").alias("handle")).agg(F.count("*").alias("targets"))
    share = F.least(
        F.lit(1.0),
        F.lit(params.selective_targets)
        / F.greatest(F.coalesce(F.col("targets"), F.lit(0)), F.lit(1)),
    )
    worth = F.pow(share, F.lit(params.selectivity))
    return (
        handles.select("handle")
        .join(targets, "handle", "left")
        .select("handle", worth.alias("selectivity"))
    )
