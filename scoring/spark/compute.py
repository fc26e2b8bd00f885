"""The compute step on Spark, in process: the engine's arrays in, the engine's Scores out."""

from scoring.engine.model import Params, Scores, Signals, Standing
from scoring.spark.collect import collect_scores
from scoring.spark.frames import standing_frames, world_from_signals
from scoring.spark.scores import score_frames
from scoring.spark.session import spark_session


def compute(signals: Signals, params: Params, standing: Standing | None = None) -> Scores:
    """scoring.engine.compute.compute on the Spark master `SPARK_MASTER` names."""
    spark = spark_session()
    world = world_from_signals(spark, signals)
    given = standing_frames(spark, standing) if standing is not None else None
    frames = score_frames(spark, world, params, given)
    shape = (len(signals.handle_person), signals.networks)
    try:
        return collect_scores(frames, params, signals.people, shape)
    finally:
        spark.catalog.clearCache()
