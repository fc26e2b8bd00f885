"""Rankings: each row's largest entries (scoring.engine.ranking.top_per_row) and percentiles."""

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from scoring.engine.ranking import TIE_DECIMALS
from scoring.spark.curves import percent


def top_per_row(
    entries: DataFrame, row: str, column: str, value: str, k: int, name: str
) -> DataFrame:
    """person, list, rank, item, weight: for each row its k largest entries, the lower column
    first among equals (to TIE_DECIMALS), as the engine ranks them."""
    tied = F.round(F.col(value), TIE_DECIMALS)
    order = Window.partitionBy(row).orderBy(tied.desc(), F.col(column).asc())
    ranked = entries.select(row, column, value, (F.row_number().over(order) - 1).alias("rank"))
    return ranked.where(F.col("rank") < k).select(
        F.col(row).alias("person"),
        F.lit(name).alias("list"),
        F.col("rank").cast("long").alias("rank"),
        F.col(column).cast("long").alias("item"),
        F.col(value).cast("double").alias("weight"),
    )


def percentiles(people: DataFrame, count: int) -> DataFrame:
    """person, percentile: the share of people with a lower score. Scores have two decimals
    on 1–100, so the running count runs over at most 9,901 distinct scores, not the people."""
    per_score = people.groupBy("score").agg(F.count("*").alias("people"))
    below = F.sum("people").over(Window.orderBy("score").rowsBetween(Window.unboundedPreceding, -1))
    counted = per_score.select("score", F.coalesce(below, F.lit(0)).alias("below"))
    return people.join(counted, "score").select(
        "person", percent(F.col("below"), count).alias("percentile")
    )
