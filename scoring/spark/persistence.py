"""Persistence (scoring.engine.persistence): on how many days people engaged with a unit (a
handle, or a handle's topic), never counting more days than people."""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def persistence(rows: DataFrame, unit: list[str]) -> DataFrame:
    """The `unit` columns and held, min(days, engagers), where each day on which anyone engaged
    and each handle that did count by the best `persisting` they came with. `rows` are
    interactions with the unit's columns, actor, age_days and persisting."""
    used = rows.where(F.col("persisting") > 0)
    days = _best_per_key(used, unit, F.floor(F.col("age_days")), "days")
    engagers = _best_per_key(used, unit, F.col("actor"), "engagers")
    return days.join(engagers, unit).select(*unit, F.least("days", "engagers").alias("held"))


def _best_per_key(used: DataFrame, unit: list[str], key: "F.Column", name: str) -> DataFrame:
    best = used.groupBy(*unit, key.alias("key")).agg(F.max("persisting").alias("best"))
    return best.groupBy(*unit).agg(F.sum("best").alias(name))
