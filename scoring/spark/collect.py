"""The score frames gathered into the engine's numpy Scores, for a caller in this process."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scoring.engine.model import Params, Scores
from scoring.engine.parquet import PEOPLE_PARTS, TOP_LISTS, Columns
from scoring.spark.frames import ScoreFrames


def collect_scores(
    frames: ScoreFrames, params: Params, people: int, shape: tuple[int, int]
) -> Scores:
    """`shape` is (handles, networks)."""
    handles, networks = shape
    per_person = _in_order(frames.people.toArrow(), "person", people)
    per_handle = _in_order(frames.handles.toArrow(), "handle", handles)
    network_raw = np.zeros((people, networks))
    cells = _columns(frames.network_raw.toArrow())
    network_raw[cells["person"], cells["network"]] = cells["value"]
    return Scores(
        version=params.version,
        **{name: per_person[name] for name in (*PEOPLE_PARTS, "percentile")},
        handle_automation=per_handle["automation"],
        handle_selectivity=per_handle["selectivity"],
        network_raw=network_raw,
        **_tops(frames.tops.toArrow(), params, people),
    )


def _in_order(table: pa.Table, key: str, count: int) -> Columns:
    columns = _columns(table)
    if len(columns[key]) != count:
        raise ValueError(f"{len(columns[key])} {key}s scored of {count}")
    order = np.argsort(columns[key])
    return {name: values[order] for name, values in columns.items()}


def _tops(table: pa.Table, params: Params, people: int) -> Columns:
    tops: Columns = {}
    for name, (items_field, weights_field) in TOP_LISTS.items():
        rows = _columns(table.filter(pc.equal(table.column("list"), name)).drop_columns(["list"]))
        width = params.topic_top if name == "topics" else params.top
        items = np.full((people, width), -1, dtype=np.int64)
        weights = np.zeros((people, width))
        items[rows["person"], rows["rank"]] = rows["item"]
        weights[rows["person"], rows["rank"]] = rows["weight"]
        tops |= {items_field: items, weights_field: weights}
    return tops


def _columns(table: pa.Table) -> Columns:
    return {name: table.column(name).to_numpy() for name in table.column_names}
