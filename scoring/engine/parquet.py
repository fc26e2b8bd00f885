"""The compute step's input (a day's window) and output (its scores) as Parquet folders, so that
an engine elsewhere (scoring.spark, on a cluster) reads one and hands the other back.

A folder is named by any URL `pyarrow.fs.FileSystem.from_uri` reaches, or a local path. Its
`meta.json`, removed first and written last, says which layout the rest is in: a reader never
takes a half-written folder or one of another layout for its own. Every failure to read is a
`LayoutError` naming the file.

Window: meta.json, params.json, handles/, interactions/ (by day=YYYY-MM-DD), post_topics/.
Scores: meta.json, people/, handles/, network_raw/ (the parts that are not 0) and tops/ (a
row for each filled cell of a person's top people, posts or topics); and where the compute
step scored the explanations' counterfactual too (the Spark job), without_new/."""

import hashlib
import json
import math
import posixpath
from collections.abc import Iterator
from dataclasses import fields, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any, Literal, get_args, get_origin, get_type_hints

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from numpy.typing import NDArray
from pyarrow import fs as pafs

from scoring.engine.model import Params, Scores, Signals

FORMAT = 1
MOST_NUMBER = 2**31  # a count, or a number in a column: more is no window of this world
BATCH_ROWS = 1_000_000  # rows of a file read at once where they are taken a part at a time
MOST_KIND = 1000  # an interaction kind, as the parameters weigh it
MOST_JSON_BYTES = 1 << 20
MOST_DAYS_BACK = 30_000  # a partition's day at most this long before the day scored

Schema = dict[str, pa.DataType]
Columns = dict[str, Any]  # a column's name → a NumPy or Arrow array

HANDLES: Schema = {"handle": pa.int64(), "person": pa.int64(), "network": pa.int64()} | {
    "hidden": pa.bool_()
}
INTERACTIONS: Schema = dict.fromkeys(("actor", "target", "kind"), pa.int64()) | {
    "age_days": pa.float64(),
    "post": pa.int64(),
}
POST_TOPICS: Schema = {"post": pa.int64(), "topic": pa.int64()}
WINDOW = ("meta.json", "params.json", "handles", "interactions", "post_topics")
# Signals' row sets, each named after its first column, for `signals_digest`.
ROW_SETS = {
    "actor": tuple(INTERACTIONS),
    "post_topic_post": ("post_topic_post", "post_topic_topic"),
}
IN_ROW_SETS = {column for columns in ROW_SETS.values() for column in columns[1:]}
ROWS_AT_ONCE = 1 << 20
_SEED, _SEED_TOO = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xD1B54A32D192ED03)
WINDOW_COUNTS = ("people", "networks", "topics")

PEOPLE_PARTS = (
    "score",
    "raw",
    "reach",
    "amplification",
    "network",
    "persistence",
    "influence",
    "automation",
)
PEOPLE: Schema = {"person": pa.int64()} | dict.fromkeys((*PEOPLE_PARTS, "percentile"), pa.float64())
HANDLE_PARTS: Schema = {"handle": pa.int64(), "automation": pa.float64()} | {
    "selectivity": pa.float64()
}
NETWORK_RAW: Schema = {"person": pa.int64(), "network": pa.int64(), "value": pa.float64()}
TOPS: Schema = {"person": pa.int64(), "list": pa.string(), "rank": pa.int64()} | {
    "item": pa.int64(),
    "weight": pa.float64(),
}
WITHOUT_NEW: Schema = {"person": pa.int64(), "score": pa.float64()}
SCORES = ("meta.json", "people", "handles", "network_raw", "tops", "without_new")
# A top list's name → the Scores fields of its items and of their weights.
TOP_LISTS = {
    "contributors": ("top_contributors", "top_contributions"),
    "posts": ("top_posts", "top_post_engagement"),
    "influencers": ("influencers", "influencer_weights"),
    "influencees": ("influencees", "influencee_weights"),
    "topics": ("top_topics", "topic_scores"),
}


class LayoutError(ValueError):
    """A file that is missing, unreadable or not of this layout; the message names it."""


def signals_write(signals: Signals, as_of: date, url: str, *, params: Params | None = None) -> None:
    """The window scored on `as_of` (and the parameters it is scored with, when given) in place
    of the one the folder held. Interactions are kept by the day they happened."""
    filesystem, root = _folder(url)
    _clear(filesystem, root, WINDOW)
    handles = len(signals.handle_person)
    _write_table(
        filesystem,
        f"{root}/handles/part-0.parquet",
        HANDLES,
        {
            "handle": np.arange(handles, dtype=np.int64),
            "person": signals.handle_person,
            "network": signals.handle_network,
            "hidden": signals.handle_hidden,
        },
    )
    _write_interactions(filesystem, root, signals, as_of)
    _write_table(
        filesystem,
        f"{root}/post_topics/part-0.parquet",
        POST_TOPICS,
        {"post": signals.post_topic_post, "topic": signals.post_topic_topic},
    )
    if params is not None:
        _write_text(filesystem, f"{root}/params.json", params_to_json(params))
    counts = {"people": signals.people, "networks": signals.networks, "topics": signals.topics}
    digest = signals_digest(signals)
    _write_meta(filesystem, root, {"as_of": as_of.isoformat(), "digest": digest, **counts})


def signals_read(url: str) -> Signals:
    """The window at `url`, its interactions newest day first and as written within a day: the
    Signals written, when they were `in_day_order`."""
    filesystem, root = _folder(url)
    meta = _read_meta(filesystem, root, WINDOW_COUNTS)
    _as_of(meta, f"{root}/meta.json")
    handles = _numpy(_read_folder(filesystem, f"{root}/handles", HANDLES))
    if not np.array_equal(handles["handle"], np.arange(len(handles["handle"]))):
        raise LayoutError(f"{root}/handles: the handles are not numbered 0, 1, 2… in order")
    _within(f"{root}/handles", handles, person=MOST_NUMBER, network=meta["networks"])
    by_day = sorted(_parquet_files(filesystem, f"{root}/interactions"), key=_day_of, reverse=True)
    interactions = _numpy(_read_files(filesystem, by_day, INTERACTIONS))
    _within(f"{root}/interactions", interactions, actor=MOST_NUMBER, target=MOST_NUMBER)
    _within(f"{root}/interactions", interactions, kind=MOST_KIND, post=MOST_NUMBER, low=-1)
    post_topics = _numpy(_read_folder(filesystem, f"{root}/post_topics", POST_TOPICS))
    _within(f"{root}/post_topics", post_topics, post=MOST_NUMBER, topic=MOST_NUMBER)
    try:
        return Signals(
            handle_person=handles["person"],
            handle_network=handles["network"],
            handle_hidden=handles["hidden"],
            actor=interactions["actor"],
            target=interactions["target"],
            kind=interactions["kind"],
            age_days=interactions["age_days"],
            post=interactions["post"],
            people=meta["people"],
            networks=meta["networks"],
            post_topic_post=post_topics["post"],
            post_topic_topic=post_topics["topic"],
            topics=meta["topics"],
        )
    except ValueError as error:  # the Signals' own checks: numbers that name nothing
        raise LayoutError(f"{root}: {error}") from None


def window_counts(url: str) -> dict[str, int]:
    """People, networks and topics of the window at `url`, from its meta.json."""
    filesystem, root = _folder(url)
    meta = _read_meta(filesystem, root, WINDOW_COUNTS)
    return {name: meta[name] for name in WINDOW_COUNTS}


def window_as_of(url: str) -> date:
    """The day the window at `url` is scored on."""
    filesystem, root = _folder(url)
    return _as_of(_read_meta(filesystem, root, ()), f"{root}/meta.json")


def window_digest(url: str) -> str:
    """The `signals_digest` of the window at `url`, as it was written."""
    filesystem, root = _folder(url)
    digest = _read_meta(filesystem, root, ()).get("digest")
    if not isinstance(digest, str):
        raise LayoutError(f"{root}/meta.json has no digest: write the window again")
    return digest


def signals_digest(signals: Signals) -> str:
    """A fingerprint of every number of `signals` (BLAKE2b): two windows with the same one are
    the same window, which a check can tell without reading one back. The handles count in
    their order, their numbers being what scores name; interactions and posts' topics as sets
    of rows, in any order (a database's parallel scan reads them in another order each time),
    so that neither the window's writer nor its check sorts them."""
    digest = hashlib.blake2b(digest_size=32)
    for name in (field.name for field in fields(signals)):
        value = getattr(signals, name)
        if name in ROW_SETS:
            columns = [getattr(signals, column) for column in ROW_SETS[name]]
            dtypes = ",".join(column.dtype.str for column in columns)
            digest.update(f"{name}:{dtypes}:{len(value)}:{_rows_sum(columns)};".encode())
        elif name in IN_ROW_SETS:
            continue
        elif isinstance(value, np.ndarray):
            digest.update(f"{name}:{value.dtype.str}:{len(value)};".encode())
            digest.update(np.ascontiguousarray(value).data)
        else:
            digest.update(f"{name}={value};".encode())
    return digest.hexdigest()


def _rows_sum(columns: list[NDArray[Any]]) -> str:
    """Two sums, modulo 2**64, of a 64-bit mix of each row's numbers: the same for the same
    rows in any order, and for other rows unlike (one moved number changes its row's mix)."""
    sums = [0, 0]
    for start in range(0, len(columns[0]), ROWS_AT_ONCE):
        rows = slice(start, start + ROWS_AT_ONCE)
        mixed = np.full(len(columns[0][rows]), _SEED, dtype=np.uint64)
        for column in columns:
            mixed = _mix(mixed ^ _bits(column[rows]))
        for n, seed in enumerate((_SEED, _SEED_TOO)):
            sums[n] = (sums[n] + int(_mix(mixed ^ seed).sum(dtype=np.uint64))) % 2**64
    return f"{sums[0]:016x}{sums[1]:016x}"


def _bits(values: NDArray[Any]) -> NDArray[np.uint64]:
    """Each number's 64 bits: a float's as they are, an integer's as an int64's."""
    wide = values.astype(np.float64 if values.dtype.kind == "f" else np.int64, copy=False)
    return np.ascontiguousarray(wide).view(np.uint64)


def _mix(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """SplitMix64's finalizer: each bit of x moves about half of the result's."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def in_day_order(signals: Signals) -> Signals:
    """`signals` with their interactions newest day first, in their order within a day: the
    order `signals_read` gives them back in."""
    order = np.argsort(_days_back(signals.age_days), kind="stable")
    return replace(signals, **{name: getattr(signals, name)[order] for name in INTERACTIONS})


def params_to_json(params: Params) -> str:
    values = {field.name: getattr(params, field.name) for field in fields(Params)}
    values["kind_weights"] = {str(kind): weight for kind, weight in params.kind_weights.items()}
    return json.dumps(values)  # an infinite bound is written Infinity, as Python reads it


def params_from_json(text: str | bytes) -> Params:
    """The Params `params_to_json` wrote. A parameter left out takes its default; an unknown
    one, or a value of the wrong type, is refused."""
    values = _json_object(text, "params")
    hints = get_type_hints(Params)
    unknown = sorted(set(values) - set(hints))
    if unknown:
        raise LayoutError(f"params: no parameter is called {unknown[0][:100]!r}")
    if "version" not in values:
        raise LayoutError("params: no version")
    return Params(**{name: _param(name, hints[name], value) for name, value in values.items()})


def params_read(url: str) -> Params:
    """The parameters of the window at `url`."""
    filesystem, root = _folder(url)
    path = f"{root}/params.json"
    try:
        return params_from_json(_read_text(filesystem, path))
    except LayoutError as error:
        raise LayoutError(f"{path}: {error}") from None


def scores_write(scores: Scores, url: str) -> None:
    """`scores` in place of those the folder held."""
    filesystem, root = _folder(url)
    _clear(filesystem, root, SCORES)
    people, top = scores.top_contributors.shape
    handles = len(scores.handle_automation)
    person, network = np.nonzero(scores.network_raw)
    tables: dict[str, tuple[Schema, Columns]] = {
        "people": (PEOPLE, {"person": np.arange(people)} | _fields(scores, PEOPLE)),
        "handles": (
            HANDLE_PARTS,
            {
                "handle": np.arange(handles),
                "automation": scores.handle_automation,
                "selectivity": scores.handle_selectivity,
            },
        ),
        "network_raw": (
            NETWORK_RAW,
            {"person": person, "network": network, "value": scores.network_raw[person, network]},
        ),
        "tops": (TOPS, _top_rows(scores)),
    }
    for name, (schema, columns) in tables.items():
        _write_table(filesystem, f"{root}/{name}/part-0.parquet", schema, columns)
    widths = {"top": top, "topic_top": scores.top_topics.shape[1]}
    counts = {"people": people, "handles": handles, "networks": scores.network_raw.shape[1]}
    _write_meta(filesystem, root, {"version": scores.version, **counts, **widths})


def scores_read(url: str) -> Scores:
    """The Scores at `url`: every person and handle once, in any order and number of files;
    the network parts and top cells left out are 0, and -1 weighing 0."""
    filesystem, root = _folder(url)
    meta = _read_meta(filesystem, root, ("people", "handles", "networks", "top", "topic_top"))
    if not isinstance(meta.get("version"), str):
        raise LayoutError(f"{root}/meta.json: the version is {meta.get('version')!r}, no text")
    people, networks = meta["people"], meta["networks"]
    parts = _numbered(filesystem, f"{root}/people", PEOPLE, people)
    handle_parts = _numbered(filesystem, f"{root}/handles", HANDLE_PARTS, meta["handles"])
    network_raw = np.zeros((people, networks))
    rows = _numpy(_read_folder(filesystem, f"{root}/network_raw", NETWORK_RAW))
    _within(f"{root}/network_raw", rows, person=people, network=networks)
    network_raw[rows["person"], rows["network"]] = rows["value"]
    return Scores(
        version=meta["version"],
        **{name: parts[name] for name in (*PEOPLE_PARTS, "percentile")},
        handle_automation=handle_parts["automation"],
        handle_selectivity=handle_parts["selectivity"],
        network_raw=network_raw,
        **_tops(filesystem, f"{root}/tops", meta),
    )


def _folder(url: str) -> tuple[pafs.FileSystem, str]:
    if not url or "\x00" in url:
        raise LayoutError(f"{url!r} names no folder")
    local = "://" not in url
    try:
        filesystem, path = pafs.FileSystem.from_uri(posixpath.abspath(url) if local else url)
    except (pa.ArrowException, ValueError) as error:  # UnicodeError is a ValueError
        raise LayoutError(f"{url!r} is no folder pyarrow reaches: {error}") from None
    return filesystem, path.rstrip("/")


def _clear(filesystem: pafs.FileSystem, root: str, entries: tuple[str, ...]) -> None:
    """The layout's own files and folders, meta.json first; whatever else is there stays."""
    filesystem.create_dir(root, recursive=True)
    for entry in filesystem.get_file_info([f"{root}/{name}" for name in entries]):
        if entry.type == pafs.FileType.Directory:
            filesystem.delete_dir(entry.path)
        elif entry.type != pafs.FileType.NotFound:
            filesystem.delete_file(entry.path)


def _days_back(age_days: NDArray[np.float64]) -> NDArray[np.int16]:
    """How many days before the day scored each interaction happened: 1 for an age up to a
    day (its age is counted from the end of the day before). An age of no time or less counts
    as the day scored's, NaN too, and one too old for a calendar as the oldest day kept's."""
    back = np.floor(age_days)
    back += 1
    np.fmax(back, 0, out=back)  # fmax and fmin take the number over NaN
    np.fmin(back, MOST_DAYS_BACK, out=back)
    return back.astype(np.int16)


def _write_interactions(
    filesystem: pafs.FileSystem, root: str, signals: Signals, as_of: date
) -> None:
    """A file a day, or one empty file for a window without engagement: every folder holds a
    file, so that one missing is noticed."""
    back = _days_back(signals.age_days)
    order = np.argsort(back, kind="stable")
    days, starts = np.unique(back[order], return_index=True)
    ends = [*starts[1:].tolist(), len(order)]
    columns = {name: getattr(signals, name) for name in INTERACTIONS}
    oldest = (as_of - date.min).days
    for days_back, start, end in zip(
        days.tolist() or [0], starts.tolist() or [0], ends, strict=True
    ):
        day = as_of - timedelta(days=min(days_back, oldest))
        taken = order[start:end]
        _write_table(
            filesystem,
            f"{root}/interactions/day={day.isoformat()}/part-0.parquet",
            INTERACTIONS,
            {name: column[taken] for name, column in columns.items()},
        )


def _day_of(path: str) -> str:
    return next((part for part in reversed(path.split("/")) if part.startswith("day=")), "")


def _fields(scores: Scores, schema: Schema) -> Columns:
    return {name: getattr(scores, name) for name in schema if hasattr(scores, name)}


def without_new_left(url: str) -> bool:
    """Whether a compute step left the explanations' counterfactual beside its scores."""
    filesystem, root = _folder(url)
    return filesystem.get_file_info(f"{root}/without_new").type != pafs.FileType.NotFound


def without_new_read(url: str, scores: Scores) -> NDArray[np.float64]:
    """The explanations' counterfactual that a compute step left beside `scores` at `url`:
    each person's score had nobody engaged with them on the last day
    (scoring.engine.explain.without_new_engagement), where it names the people engaged with
    that day and everyone else keeps their score."""
    filesystem, root = _folder(url)
    folder = f"{root}/without_new"
    if not without_new_left(url):
        raise LayoutError(f"{folder} is not there")
    rows = _numpy(_read_folder(filesystem, folder, WITHOUT_NEW))
    _within(folder, rows, person=len(scores.score))
    if len(np.unique(rows["person"])) != len(rows["person"]):
        raise LayoutError(f"{folder}: a person is there twice")
    if not np.isfinite(rows["score"]).all():
        raise LayoutError(f"{folder}: a score that is no number")
    without_new = scores.score.copy()
    without_new[rows["person"]] = rows["score"]
    return without_new


def _top_rows(scores: Scores) -> Columns:
    rows: dict[str, list[NDArray[Any]]] = {name: [] for name in TOPS}
    for number, (items_field, weights_field) in enumerate(TOP_LISTS.values()):
        items, weights = getattr(scores, items_field), getattr(scores, weights_field)
        person, rank = np.nonzero(items != -1)
        rows["person"].append(person)
        rows["list"].append(np.full(len(person), number))
        rows["rank"].append(rank)
        rows["item"].append(items[person, rank])
        rows["weight"].append(weights[person, rank])
    columns = {name: np.concatenate(parts) for name, parts in rows.items()}
    return columns | {"list": pa.array(list(TOP_LISTS)).take(columns["list"])}


def _tops(filesystem: pafs.FileSystem, folder: str, meta: dict[str, Any]) -> Columns:
    """The top lists, filled a batch of rows at a time: whole, the long table and its copies
    per list would take more memory than the lists themselves."""
    people = meta["people"]
    tops: Columns = {}
    for name, (items_field, weights_field) in TOP_LISTS.items():
        width = meta["topic_top"] if name == "topics" else meta["top"]
        tops[items_field] = np.full((people, width), -1, dtype=np.int64)
        tops[weights_field] = np.zeros((people, width))
    names = pa.array(list(TOP_LISTS))
    for path in _parquet_files(filesystem, folder):
        for table in _read_batches(filesystem, path, TOPS):
            lists = pc.index_in(table.column("list"), value_set=names)
            if lists.null_count:
                raise LayoutError(f"{folder}: a list that is none of {', '.join(TOP_LISTS)}")
            rows = _numpy(table.drop_columns(["list"])) | {"list": lists.to_numpy()}
            for at, (items_field, weights_field) in enumerate(TOP_LISTS.values()):
                chosen = {column: values[rows["list"] == at] for column, values in rows.items()}
                width = tops[items_field].shape[1]
                _within(folder, chosen, person=people, rank=width, item=MOST_NUMBER)
                tops[items_field][chosen["person"], chosen["rank"]] = chosen["item"]
                tops[weights_field][chosen["person"], chosen["rank"]] = chosen["weight"]
    return tops


def _numbered(filesystem: pafs.FileSystem, folder: str, schema: Schema, count: int) -> Columns:
    """The folder's rows in order of their first column, which numbers each of 0 … count - 1
    once."""
    rows = _numpy(_read_folder(filesystem, folder, schema))
    key = next(iter(schema))
    _within(folder, rows, **{key: count})
    if len(rows[key]) != count or np.any(np.bincount(rows[key], minlength=count) != 1):
        raise LayoutError(f"{folder}: {len(rows[key])} rows for {count} {key}s, one each")
    order = np.argsort(rows[key])
    return {name: values[order] for name, values in rows.items()}


def _within(where: str, rows: Columns, *, low: int = 0, **bounds: int) -> None:
    """Each named column from `low` to below its bound."""
    for name, bound in bounds.items():
        column = rows[name]
        if len(column) and (column.min() < low or column.max() >= bound):
            raise LayoutError(f"{where}: a {name} outside {low} … {bound - 1}")


def _write_table(filesystem: pafs.FileSystem, path: str, schema: Schema, columns: Columns) -> None:
    table = pa.table({name: pa.array(columns[name], kind) for name, kind in schema.items()})
    filesystem.create_dir(posixpath.dirname(path), recursive=True)
    pq.write_table(table, path, filesystem=filesystem)


def _parquet_files(filesystem: pafs.FileSystem, folder: str) -> list[str]:
    """The Parquet files under `folder`, but for what writers keep beside them (Spark's
    _SUCCESS and .crc files, hidden ones)."""
    try:
        found = filesystem.get_file_info(pafs.FileSelector(folder, recursive=True))
    except (OSError, pa.ArrowException) as error:
        raise LayoutError(f"{folder} is missing: {error}") from None
    files = sorted(
        entry.path
        for entry in found
        if entry.type == pafs.FileType.File
        and entry.path.endswith(".parquet")
        and not any(part[:1] in "._" for part in entry.path[len(folder) + 1 :].split("/"))
    )
    if not files:
        raise LayoutError(f"{folder} holds no Parquet file")
    return files


def _read_folder(filesystem: pafs.FileSystem, folder: str, schema: Schema) -> pa.Table:
    return _read_files(filesystem, _parquet_files(filesystem, folder), schema)


def _read_files(filesystem: pafs.FileSystem, paths: list[str], schema: Schema) -> pa.Table:
    return pa.concat_tables([_read_file(filesystem, path, schema) for path in paths])


def _read_file(filesystem: pafs.FileSystem, path: str, schema: Schema) -> pa.Table:
    return pa.concat_tables(_read_batches(filesystem, path, schema))


def _read_batches(filesystem: pafs.FileSystem, path: str, schema: Schema) -> Iterator[pa.Table]:
    """The file's columns of `schema`, BATCH_ROWS rows at a time (at least one table, maybe
    empty), as its types, from whatever types of the same kind they were written in (Spark's
    int32, say)."""
    try:
        with filesystem.open_input_file(path) as source:
            parquet = pq.ParquetFile(source)
            missing = [name for name in schema if name not in parquet.schema_arrow.names]
            if missing:
                raise LayoutError(f"{path} has no column {missing[0]!r}")
            if not parquet.metadata.num_rows:
                yield _typed(parquet.schema_arrow.empty_table().select(list(schema)), path, schema)
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=list(schema)):
                yield _typed(pa.Table.from_batches([batch]), path, schema)
    except (OSError, pa.ArrowException) as error:
        raise LayoutError(f"{path} cannot be read as Parquet: {error}") from None


def _typed(table: pa.Table, path: str, schema: Schema) -> pa.Table:
    for name, kind in schema.items():
        column = table.column(name)
        if column.null_count or not _same_kind(column.type, kind):
            raise LayoutError(f"{path}: {name} is {column.type}, with {column.null_count} nulls")
        try:
            table = table.set_column(table.column_names.index(name), name, column.cast(kind))
        except pa.ArrowInvalid as error:
            raise LayoutError(f"{path}: {name} does not fit {kind}: {error}") from None
    return table


def _same_kind(found: pa.DataType, wanted: pa.DataType) -> bool:
    kinds = (pa.types.is_integer, pa.types.is_floating, pa.types.is_boolean, pa.types.is_string)
    return any(kind(found) and kind(wanted) for kind in kinds)


def _numpy(table: pa.Table) -> Columns:
    return {name: table.column(name).to_numpy() for name in table.column_names}


def _write_text(filesystem: pafs.FileSystem, path: str, text: str) -> None:
    with filesystem.open_output_stream(path) as sink:
        sink.write(text.encode())


def _write_meta(filesystem: pafs.FileSystem, root: str, meta: dict[str, Any]) -> None:
    _write_text(filesystem, f"{root}/meta.json", json.dumps(meta | {"format": FORMAT}))


def _read_text(filesystem: pafs.FileSystem, path: str) -> bytes:
    try:
        with filesystem.open_input_stream(path) as source:
            text = bytes(source.read(MOST_JSON_BYTES + 1))
    except (OSError, pa.ArrowException) as error:
        raise LayoutError(f"{path} is missing: {error}") from None
    if len(text) > MOST_JSON_BYTES:
        raise LayoutError(f"{path} is over {MOST_JSON_BYTES} bytes")
    return text


def _read_meta(filesystem: pafs.FileSystem, root: str, counts: tuple[str, ...]) -> dict[str, Any]:
    """The folder's meta.json, if it is of this layout, with `counts` whole numbers."""
    path = f"{root}/meta.json"
    try:
        meta = _json_object(_read_text(filesystem, path), "meta")
    except LayoutError as error:
        raise LayoutError(f"{path}: {error}") from None
    if type(meta.get("format")) is not int or meta["format"] != FORMAT:
        raise LayoutError(f"{path} is of format {meta.get('format')!r}; this reads {FORMAT}")
    for name in counts:
        value = meta.get(name)
        if type(value) is not int or not 0 <= value < MOST_NUMBER:
            raise LayoutError(f"{path}: {name} is {value!r}, no count")
    return meta


def _as_of(meta: dict[str, Any], path: str) -> date:
    try:
        return date.fromisoformat(meta["as_of"])
    except (KeyError, TypeError, ValueError):
        raise LayoutError(f"{path}: as_of is {meta.get('as_of')!r}, no day") from None


def _json_object(text: str | bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise LayoutError(f"{what} is no JSON: {str(error)[:200]}") from None
    if not isinstance(value, dict):
        raise LayoutError(f"{what} is no JSON object")
    return value


def _param(name: str, hint: Any, value: Any) -> Any:
    """`value` as the parameter `name` of type `hint`; a LayoutError if it is none."""
    if get_origin(hint) is MappingProxyType:
        weights = _kind_weights(value)
        if weights is not None:
            return weights
    elif get_origin(hint) is Literal:
        if value in get_args(hint):
            return value
    elif hint is float:
        if _is_number(value):
            return float(value)
    elif type(value) is hint and (hint is not int or abs(value) < MOST_NUMBER):
        return value
    raise LayoutError(f"params: {name} is {str(value)[:100]!r}, no {hint}")


def _kind_weights(value: Any) -> MappingProxyType[int, float] | None:
    if not isinstance(value, dict) or not all(_is_number(v) for v in value.values()):
        return None
    if not all(key.isdecimal() and len(key) <= len(str(MOST_KIND - 1)) for key in value):
        return None
    return MappingProxyType({int(key): float(weight) for key, weight in value.items()})


def _is_number(value: Any) -> bool:
    """A float or an int a float holds, not NaN (an infinite bound is a number)."""
    if type(value) is int:
        return abs(value) < 2**63
    return type(value) is float and not math.isnan(value)
