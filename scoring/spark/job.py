"""The compute step as a Spark application: a window's Parquet in, the scores' Parquet out.

    zip -qr scoring.zip scoring -i '*.py'   # the package, shipped to the executors
    PYSPARK_PYTHON=.venv/bin/python spark-submit --master local[2] --py-files scoring.zip \\
        scoring/spark/job.py --window /path/or/url/of/window --out /path/or/url/of/scores

(`python -m scoring.spark.job …` does the same on `SPARK_MASTER`.) The executors need NumPy,
SciPy and PyArrow beside PySpark, never Django. The layouts are scoring.engine.parquet's; the
window's params.json holds the model's parameters. Executors read and write the Parquet
themselves, nothing of it passes through the driver. The scores' meta.json goes first and
comes back last, so a reader never takes a half-written folder.
"""

import argparse
import json
import posixpath
import sys
from typing import Any

import pyarrow as pa
from pyarrow import fs as pafs
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from scoring.engine.model import Params
from scoring.engine.parquet import FORMAT, MOST_NUMBER, LayoutError, params_read, window_as_of
from scoring.spark.frames import HANDLES, INTERACTIONS, POST_TOPICS, ScoreFrames, World
from scoring.spark.scores import score_frames
from scoring.spark.session import spark_session

COUNTS = ("people", "networks", "topics")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scoring.spark.job", description=__doc__.split("\n")[0])
    parser.add_argument("--window", required=True, help="the window folder's URL or path")
    parser.add_argument("--out", required=True, help="the scores folder's URL or path")
    args = parser.parse_args(argv)
    try:
        params = params_read(args.window)
        window_as_of(args.window)  # a window of this layout, whole
        counts = window_counts(args.window)
        _folder(args.out)
    except LayoutError as error:
        print(f"scoring.spark.job: {error}", file=sys.stderr)
        return 2
    spark = spark_session()
    world = read_window(spark, args.window, counts)
    handles = world.handles.count()
    write_scores(score_frames(spark, world, params), args.out, params, counts, handles)
    return 0


def window_counts(url: str) -> dict[str, int]:
    """People, networks and topics of the window at `url`, from its meta.json."""
    meta = json.loads(_read_text(url, "meta.json"))
    for name in COUNTS:
        if type(meta.get(name)) is not int or not 0 <= meta[name] < MOST_NUMBER:
            raise LayoutError(f"{url}/meta.json: {name} is {meta.get(name)!r}, no count")
    return {name: meta[name] for name in COUNTS}


def read_window(spark: SparkSession, url: str, counts: dict[str, int]) -> World:
    return World(
        handles=_read(spark, f"{url}/handles", HANDLES),
        interactions=_read(spark, f"{url}/interactions", INTERACTIONS),
        post_topics=_read(spark, f"{url}/post_topics", POST_TOPICS),
        people=counts["people"],
        networks=counts["networks"],
        topics=counts["topics"],
    )


def write_scores(
    frames: ScoreFrames, url: str, params: Params, counts: dict[str, int], handles: int
) -> None:
    filesystem, root = _folder(url)
    filesystem.create_dir(root, recursive=True)
    if filesystem.get_file_info(f"{root}/meta.json").type != pafs.FileType.NotFound:
        filesystem.delete_file(f"{root}/meta.json")
    for name in ("people", "handles", "network_raw", "tops"):
        getattr(frames, name).write.mode("overwrite").parquet(f"{url}/{name}")
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


def _read_text(url: str, name: str) -> bytes:
    filesystem, root = _folder(url)
    with filesystem.open_input_stream(f"{root}/{name}") as source:
        return bytes(source.read(1 << 20))


if __name__ == "__main__":
    sys.exit(main())
