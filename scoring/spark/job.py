"""The compute step as a Spark application: a window's Parquet in, the scores' Parquet out.

    zip -qr scoring.zip scoring -i '*.py'   # the package, shipped to the executors
    PYSPARK_PYTHON=.venv/bin/python spark-submit --master local[2] --py-files scoring.zip \\
        scoring/spark/job.py --window /path/or/url/of/window --out /path/or/url/of/scores

(`python -m scoring.spark.job …` does the same on `SPARK_MASTER`.) The executors need NumPy,
SciPy and PyArrow beside PySpark, never Django. The layouts are scoring.engine.parquet's; the
window's params.json holds the model's parameters. Executors read and write the Parquet
themselves, nothing of it passes through the driver. Beside the scores the job scores the
explanations' counterfactual (without_new/), which the load then takes from it. The scores'
meta.json goes first and comes back last, so a reader never takes a half-written folder.
"""

import argparse
import json
import posixpath
import sys
from typing import Any

import pyarrow as pa
from pyarrow import fs as pafs
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from scoring.engine.model import Params
from scoring.engine.parquet import (
    FORMAT,
    MOST_DAYS_BACK,
    MOST_KIND,
    MOST_NUMBER,
    LayoutError,
    params_read,
    window_as_of,
    window_counts,
)
from scoring.spark.explain import without_new_engagement
from scoring.spark.frames import HANDLES, INTERACTIONS, POST_TOPICS, StandingFrames, World
from scoring.spark.scores import score_frames
from scoring.spark.session import spark_session


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scoring.spark.job", description=__doc__.split("\n")[0])
    parser.add_argument("--window", required=True, help="the window folder's URL or path")
    parser.add_argument("--out", required=True, help="the scores folder's URL or path")
    args = parser.parse_args(argv)
    try:
        score_window(args.window, args.out)
    except LayoutError as error:
        print(f"scoring.spark.job: {error}", file=sys.stderr)
        return 2
    return 0


def score_window(window: str, out: str) -> None:
    """The window at `window` scored into `out`; a LayoutError, before anything is written,
    for a window that is not whole or not of the layout."""
    params = params_read(window)
    window_as_of(window)  # a window of this layout, whole
    counts = window_counts(window)
    _folder(out)
    spark = spark_session()
    world = read_window(spark, window, counts)
    handles = world.handles.count()
    check_window(world, handles, window)
    write_scores(spark, world, params, out, counts, handles)


def read_window(spark: SparkSession, url: str, counts: dict[str, int]) -> World:
    return World(
        handles=_read(spark, f"{url}/handles", HANDLES),
        interactions=_read(spark, f"{url}/interactions", INTERACTIONS),
        post_topics=_read(spark, f"{url}/post_topics", POST_TOPICS),
        people=counts["people"],
        networks=counts["networks"],
        topics=counts["topics"],
    )


def check_window(world: World, handles: int, url: str) -> None:
    """Every row of the window as the NumPy reader takes it (scoring.engine.parquet), in one
    pass over each folder: no nulls, handles numbered 0 to handles - 1 once each, and every
    number in its range. A null or a number out of range would otherwise drop out of a join
    without a word. (Spark ranks NaN above every number, so an age's range keeps NaN out.)"""
    ranges: dict[str, dict[str, tuple[int, int] | None]] = {
        "handles": {"handle": (0, handles), "person": (0, world.people),
                    "network": (0, world.networks), "hidden": None},
        "interactions": {"actor": (0, handles), "target": (0, handles), "kind": (0, MOST_KIND),
                         "age_days": (-MOST_DAYS_BACK, MOST_DAYS_BACK),
                         "post": (-1, MOST_NUMBER)},
        "post_topics": {"post": (0, MOST_NUMBER), "topic": (0, world.topics)},
    }  # fmt: skip
    for folder, columns in ranges.items():
        frame: DataFrame = getattr(world, folder)
        outside = [
            F.sum(_outside(F.col(name), bounds).cast("long")).alias(name)
            for name, bounds in columns.items()
        ]
        distinct = F.count_distinct(frame.columns[0]).alias("distinct")
        (found,) = frame.agg(*outside, distinct).collect()
        for name, bounds in columns.items():
            if found[name]:
                within = "" if bounds is None else f" or outside {bounds[0]} … {bounds[1] - 1}"
                raise LayoutError(f"{url}/{folder}: {found[name]:,} rows with {name} null{within}")
        if folder == "handles" and found["distinct"] != handles:
            raise LayoutError(f"{url}/handles: a handle number is there twice")


def _outside(column: Column, bounds: tuple[int, int] | None) -> Column:
    if bounds is None:
        return column.isNull()
    return column.isNull() | (column < bounds[0]) | (column >= bounds[1])


def write_scores(
    spark: SparkSession,
    world: World,
    params: Params,
    url: str,
    counts: dict[str, int],
    handles: int,
) -> None:
    """The world's scores at `url`, and beside them the explanations' counterfactual
    (scoring.spark.explain), scored at the standing the scores written have."""
    filesystem, root = _folder(url)
    filesystem.create_dir(root, recursive=True)
    if filesystem.get_file_info(f"{root}/meta.json").type != pafs.FileType.NotFound:
        filesystem.delete_file(f"{root}/meta.json")
    frames = score_frames(spark, world, params)
    for name in ("people", "handles", "network_raw", "tops"):
        getattr(frames, name).write.mode("overwrite").parquet(f"{url}/{name}")
    standing = StandingFrames(
        influence=spark.read.parquet(f"{url}/people").select("person", "influence"),
        handles=spark.read.parquet(f"{url}/handles").select("handle", "automation", "selectivity"),
    )
    without_new = without_new_engagement(spark, world, params, standing)
    without_new.write.mode("overwrite").parquet(f"{url}/without_new")
    meta: dict[str, Any] = {
        "version": params.version,
        "people": counts["people"],
        "handles": handles,
        "networks": counts["networks"],
        "top": params.top,
        "topic_top": params.topic_top,
        "format": FORMAT,
    }
    with filesystem.open_output_stream(f"{root}/meta.json") as sink:
        sink.write(json.dumps(meta).encode())


def _read(spark: SparkSession, path: str, schema: str) -> DataFrame:
    """The folder's columns of `schema`, as its types (the partition column `day` is left)."""
    columns = [part.split() for part in schema.split(",")]
    frame = spark.read.parquet(path)
    return frame.select(*[F.col(name).cast(kind).alias(name) for name, kind in columns])


def _folder(url: str) -> tuple[pafs.FileSystem, str]:
    if not url or "\x00" in url:
        raise LayoutError(f"{url!r} names no folder")
    local = "://" not in url
    try:
        filesystem, path = pafs.FileSystem.from_uri(posixpath.abspath(url) if local else url)
    except (pa.ArrowException, ValueError) as error:  # a NUL, a bad scheme, a surrogate
        raise LayoutError(f"{url!r} is no folder pyarrow reaches: {error}") from None
    return filesystem, path.rstrip("/")


if __name__ == "__main__":
    sys.exit(main())
