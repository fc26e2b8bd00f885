"""The compute step's window and scores as Parquet folders (scoring.engine.parquet): what is
written reads back exactly, and a folder that is missing, damaged or of another layout is
refused with an error that names the file, never read wrong."""

import json
import math
from dataclasses import fields, replace
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scoring.engine import parquet
from scoring.engine.compute import compute
from scoring.engine.model import LIKE, REPLY, Params
from scoring.engine.parquet import (
    INTERACTIONS,
    LayoutError,
    in_day_order,
    params_from_json,
    params_read,
    params_to_json,
    scores_read,
    scores_write,
    signals_digest,
    signals_read,
    signals_write,
    window_as_of,
    window_digest,
    without_new_left,
    without_new_read,
)
from scoring.engine.versions import LIVE, MODELS
from tests.scoring.engine.support import PARAMS, World

AS_OF = date(2026, 11, 20)


def a_world():
    """Two networks, a hidden handle, a person with two handles, topics, engagement on posts
    and off them over several days (not in day order), and ages at the edges of a day."""
    world = World()
    star, fan, other = world.people(3)
    second = world.handle(person=0, network=1)
    hidden = world.handle(hidden=True)
    fans = world.people(6)
    for n, someone in enumerate(fans):
        world.engage(someone, star, post=n % 3, age=40.5 - n * 7)
        world.engage(someone, second, kind=REPLY, age=0.25 + n)
    world.engage(fan, star, kind=LIKE, age=1.0)
    world.engage(other, hidden, age=0.0)
    world.engage(star, fan, age=89.9, times=2)
    world.about(0, 0)
    world.about(1, 1)
    world.about(0, 2)
    return world.signals()


def assert_same(expected, got):
    for field in fields(expected):
        want, have = getattr(expected, field.name), getattr(got, field.name)
        if isinstance(want, np.ndarray):
            assert have.dtype == want.dtype, field.name
            np.testing.assert_array_equal(have, want, err_msg=field.name)
        else:
            assert have == want, field.name


@pytest.fixture
def window(tmp_path):
    signals = in_day_order(a_world())
    signals_write(signals, AS_OF, str(tmp_path / "window"), params=PARAMS)
    return tmp_path / "window", signals


@pytest.fixture
def scored(tmp_path):
    scores = compute(a_world(), replace(PARAMS, persistence_weight=1.0))
    scores_write(scores, str(tmp_path / "scores"))
    return tmp_path / "scores", scores


def rewrite(path, table):
    pq.write_table(table, str(path))


def test_a_window_reads_back_as_the_signals_written(window):
    folder, signals = window

    assert_same(signals, signals_read(str(folder)))
    assert window_as_of(str(folder)) == AS_OF
    assert json.loads((folder / "meta.json").read_text()) == {
        "as_of": "2026-11-20", "digest": signals_digest(signals),
        "people": 10, "networks": 2, "topics": 3, "format": 1,
    }  # fmt: skip
    assert window_digest(str(folder)) == signals_digest(signals_read(str(folder)))


def test_the_digest_tells_any_number_changed_or_moved():
    signals = a_world()
    changes = [
        replace(
            signals,
            age_days=signals.age_days + np.where(np.arange(len(signals.age_days)) == 3, 1e-12, 0.0),
        ),
        replace(signals, actor=signals.actor[::-1].copy()),
        replace(signals, post=signals.post.astype(np.int32)),
        replace(signals, people=signals.people + 1),
        replace(signals, post_topic_topic=np.roll(signals.post_topic_topic, 1)),  # other pairs
    ]

    assert signals_digest(replace(signals)) == signals_digest(signals)
    assert len({signals_digest(s) for s in [signals, *changes]}) == 1 + len(changes)


def test_the_digest_takes_interactions_and_posts_topics_in_any_order(monkeypatch):
    signals = a_world()
    order = np.random.default_rng(25).permutation(len(signals.actor))
    shuffled = replace(
        signals,
        **{name: getattr(signals, name)[order] for name in INTERACTIONS},
        post_topic_post=signals.post_topic_post[::-1],
        post_topic_topic=signals.post_topic_topic[::-1],
    )
    first = order[0]  # one row's actor and target swapped: the same numbers, another row
    swapped = replace(
        shuffled,
        actor=np.r_[shuffled.target[:1], shuffled.actor[1:]],
        target=np.r_[shuffled.actor[:1], shuffled.target[1:]],
    )
    handles_moved = replace(signals, handle_network=signals.handle_network[::-1].copy())

    assert signals_digest(shuffled) == signals_digest(signals)
    assert signals.actor[first] != signals.target[first]
    assert signals_digest(swapped) != signals_digest(signals)
    assert signals_digest(handles_moved) != signals_digest(signals)
    whole = signals_digest(signals)
    monkeypatch.setattr(parquet, "ROWS_AT_ONCE", 4)  # rows mixed and summed a few at a time
    assert signals_digest(shuffled) == whole


def test_a_window_without_a_digest_is_refused_as_unchecked(window):
    folder, _ = window
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps({k: v for k, v in meta.items() if k != "digest"}))

    with pytest.raises(LayoutError, match=r"meta.json has no digest: write the window again"):
        window_digest(str(folder))


def test_interactions_are_kept_by_the_day_they_happened_newest_first(window):
    folder, signals = window

    days = sorted(p.name for p in (folder / "interactions").iterdir())

    # ages 0.25 and 1.0: the day before; 40.5: 41 days before; 89.9: 90 days before.
    assert days[-1] == "day=2026-11-19"
    assert "day=2026-10-10" in days
    assert days[0] == "day=2026-08-22"
    assert (np.diff(np.floor(signals.age_days[signals.age_days > 0])) >= 0).all()


def test_day_order_keeps_the_order_within_a_day_and_counts_odd_ages_as_the_day_scored():
    signals = a_world()
    odd = replace(
        signals,
        age_days=np.array([np.nan, -2.0, np.inf, 1e300, 0.5, 0.75, *signals.age_days[6:]]),
    )

    ordered = in_day_order(odd)

    assert math.isnan(ordered.age_days[0])
    assert ordered.age_days[1] == -2.0
    assert ordered.age_days[2:4].tolist() == [0.5, 0.75]
    assert ordered.age_days[-2:].tolist() == [np.inf, 1e300]


def test_a_window_read_back_scores_as_the_one_written(window):
    folder, signals = window

    assert_same(compute(signals, PARAMS), compute(signals_read(str(folder)), PARAMS))


def test_a_window_without_engagement_reads_back(tmp_path):
    world = World()
    world.people(2)
    signals = world.signals()

    signals_write(signals, AS_OF, str(tmp_path))

    assert_same(signals, signals_read(str(tmp_path)))
    assert not (tmp_path / "params.json").exists()


def test_writing_again_replaces_the_layouts_files_and_leaves_others(window):
    folder, _ = window
    (folder / "notes.txt").write_text("kept")
    fewer = World()
    fewer.engage(*fewer.people(2), age=3.5)

    signals_write(fewer.signals(), AS_OF, f"file://{folder}")

    assert_same(fewer.signals(), signals_read(str(folder)))
    assert sorted(p.name for p in (folder / "interactions").iterdir()) == ["day=2026-11-16"]
    assert (folder / "notes.txt").read_text() == "kept"
    assert not (folder / "params.json").exists()


def test_interactions_outside_a_day_folder_read_last(window):
    folder, signals = window
    extra = {"actor": [1], "target": [0], "kind": [1], "age_days": [2.0], "post": [-1]}
    rewrite(folder / "interactions" / "extra.parquet", pa.table(extra))

    got = signals_read(str(folder))

    assert got.actor.tolist() == [*signals.actor.tolist(), 1]


@pytest.mark.parametrize("params", [PARAMS, MODELS[LIVE], *MODELS.values()])
def test_parameters_round_trip(params):
    assert params_from_json(params_to_json(params)) == params


def test_parameters_round_trip_through_the_window(window):
    folder, _ = window
    odd = replace(PARAMS, selective_targets=math.inf, decay="hyperbolic", top=3)

    signals_write(a_world(), AS_OF, str(folder), params=odd)

    assert params_read(str(folder)) == odd


def test_parameters_left_out_take_their_defaults():
    assert params_from_json('{"version": "x", "saturation": 1}') == Params("x", saturation=1.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"version": "x", "sauration": 1}', "no parameter is called 'sauration'"),
        ('{"saturation": 1}', "no version"),
        ('{"version": 1}', "version is '1'"),
        ('{"version": "x", "decay": "linear"}', "decay is 'linear'"),
        ('{"version": "x", "saturation": "1"}', "saturation is '1'"),
        ('{"version": "x", "saturation": NaN}', "saturation is 'nan'"),
        ('{"version": "x", "saturation": true}', "saturation is 'True'"),
        ('{"version": "x", "saturation": 1e400}', None),  # Infinity: a bound, taken
        ('{"version": "x", "saturation": 99999999999999999999999}', "saturation is"),
        ('{"version": "x", "top": 1.0}', "top is '1.0'"),
        ('{"version": "x", "top": 99999999999999999999999}', "top is"),
        ('{"version": "x", "amplify_unknown_posts": 1}', "amplify_unknown_posts is '1'"),
        ('{"version": "x", "kind_weights": [1]}', "kind_weights is '[1]'"),
        ('{"version": "x", "kind_weights": {"1": "a"}}', "kind_weights is"),
        ('{"version": "x", "kind_weights": {"-1": 1}}', "kind_weights is"),
        ('{"version": "x", "kind_weights": {"1000": 1}}', "kind_weights is"),
        ('{"version": "x", "kind_weights": {"1" : 1, "x": 2}}', "kind_weights is"),
        ('["version"]', "params is no JSON object"),
        ('{"version": "x"', "params is no JSON"),
        ("[" * 100_000, "params is no JSON"),
        (b'{"version": "\xff"}', "params is no JSON"),
        ('{"version": "\\ud800\\u0000"}', None),  # a strange name, but a name
    ],
)
def test_parameters_of_the_wrong_shape_are_refused(text, message):
    if message is None:
        params_from_json(text)
        return
    with pytest.raises(LayoutError, match=message.replace("[", r"\[")):
        params_from_json(text)


def test_parameters_a_window_lacks_are_an_error_naming_the_file(tmp_path):
    signals_write(a_world(), AS_OF, str(tmp_path))

    with pytest.raises(LayoutError, match=r"params\.json is missing"):
        params_read(str(tmp_path))
    (tmp_path / "params.json").write_text('{"version": "x", "top": "5"}')
    with pytest.raises(LayoutError, match=r"params\.json: params: top is '5'"):
        params_read(str(tmp_path))


def test_scores_read_back_as_written(scored):
    folder, scores = scored

    assert_same(scores, scores_read(str(folder)))
    assert scores.persistence[0] > 0
    assert json.loads((folder / "meta.json").read_text()) == {
        "version": "test", "people": 10, "handles": 11, "networks": 2, "top": 5,
        "topic_top": 10, "format": 1,
    }  # fmt: skip


def test_scores_read_a_few_rows_at_a_time_read_back_as_written(scored, monkeypatch):
    folder, scores = scored
    monkeypatch.setattr("scoring.engine.parquet.BATCH_ROWS", 3)

    assert_same(scores, scores_read(str(folder)))


def test_scores_in_many_files_and_any_order_read_back_as_written(scored):
    """As Spark writes them: several part files, rows in any order, beside _SUCCESS and .crc
    files, and narrower types of the same kind."""
    folder, scores = scored
    people = pq.read_table(str(folder / "people" / "part-0.parquet"))
    (folder / "people" / "part-0.parquet").unlink()
    backwards = people.take(np.arange(people.num_rows)[::-1])
    rewrite(folder / "people" / "part-00000-x.snappy.parquet", backwards.slice(0, 4))
    rewrite(folder / "people" / "part-00001-x.snappy.parquet", backwards.slice(4))
    (folder / "people" / "_SUCCESS").write_text("")
    (folder / "people" / ".part-00000-x.snappy.parquet.crc").write_text("")
    handles = pq.read_table(str(folder / "handles" / "part-0.parquet"))
    narrow = handles.set_column(0, "handle", handles.column("handle").cast(pa.int32()))
    rewrite(folder / "handles" / "part-0.parquet", narrow)

    assert_same(scores, scores_read(str(folder)))


def write_without_new(folder, **columns):
    (folder / "without_new").mkdir(exist_ok=True)
    pq.write_table(pa.table(columns), folder / "without_new" / "part-0.parquet")


def test_a_counterfactual_beside_the_scores_replaces_the_scores_of_those_it_names(scored):
    folder, scores = scored
    assert not without_new_left(str(folder))
    write_without_new(folder, person=[4, 1], score=[7.0, 2.5])

    assert without_new_left(str(folder))
    without_new = without_new_read(str(folder), scores)

    expected = scores.score.copy()
    expected[[1, 4]] = [2.5, 7.0]
    np.testing.assert_array_equal(without_new, expected)
    scores_write(scores, str(folder))  # scores written again: theirs is gone
    assert not without_new_left(str(folder))
    with pytest.raises(LayoutError, match="without_new is not there"):
        without_new_read(str(folder), scores)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"person": [10], "score": [1.0]}, r"without_new: a person outside 0 … 9"),
        ({"person": [-1], "score": [1.0]}, r"without_new: a person outside 0 … 9"),
        ({"person": [2, 2], "score": [1.0, 2.0]}, r"without_new: a person is there twice"),
        ({"person": [2], "score": [float("nan")]}, r"without_new: a score that is no number"),
        (
            {
                "person": [2],
                "score": [
                    None,
                ],
            },
            r"part-0.parquet: score is null, with 1 nulls",
        ),
        ({"person": [2]}, r"part-0.parquet has no column 'score'"),
        ({"person": [2**40], "score": [1.0]}, r"without_new: a person outside 0 … 9"),
    ],
)
def test_a_damaged_counterfactual_is_refused_naming_the_folder(scored, columns, message):
    folder, scores = scored
    write_without_new(folder, **columns)

    with pytest.raises(LayoutError, match=message):
        without_new_read(str(folder), scores)


def test_scores_of_a_world_without_engagement_read_back(tmp_path):
    world = World()
    world.people(2)
    scores = compute(world.signals(), PARAMS)

    scores_write(scores, str(tmp_path))

    assert_same(scores, scores_read(str(tmp_path)))


def spoil_meta(folder, **changes):
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps(meta | changes))


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda f: (f / "meta.json").unlink(), r"meta\.json is missing"),
        (lambda f: spoil_meta(f, format=2), r"meta\.json is of format 2; this reads 1"),
        (lambda f: spoil_meta(f, format=True), r"meta\.json is of format True"),
        (lambda f: spoil_meta(f, people=-1), r"meta\.json: people is -1, no count"),
        (lambda f: spoil_meta(f, people=10**30), r"meta\.json: people is 1000000000000"),
        (lambda f: spoil_meta(f, people="10"), r"meta\.json: people is '10'"),
        (lambda f: spoil_meta(f, as_of="2026-13-01"), r"as_of is '2026-13-01', no day"),
        (lambda f: spoil_meta(f, as_of=None), r"as_of is None, no day"),
        (lambda f: (f / "meta.json").write_text("[]"), r"meta\.json: meta is no JSON object"),
        (lambda f: (f / "meta.json").write_bytes(b"\0\xff"), r"meta\.json: meta is no JSON"),
        (lambda f: (f / "meta.json").write_text(" " * (1 << 21)), r"meta\.json is over"),
        (lambda f: (f / "handles" / "part-0.parquet").unlink(), r"handles holds no Parquet"),
        (lambda f: (f / "handles" / "part-0.parquet").write_bytes(b"PAR1\0"), "cannot be read"),
        (
            lambda f: rewrite(f / "handles" / "part-0.parquet", pa.table({"handle": [0]})),
            r"handles/part-0\.parquet has no column 'person'",
        ),
        (
            lambda f: rewrite(
                f / "post_topics" / "part-0.parquet",
                pa.table({"post": pa.array([None], pa.int64()), "topic": [0]}),
            ),
            r"post_topics/part-0\.parquet: post is int64, with 1 nulls",
        ),
        (
            lambda f: rewrite(
                f / "post_topics" / "part-0.parquet", pa.table({"post": ["0"], "topic": [0]})
            ),
            r"post_topics/part-0\.parquet: post is string",
        ),
        (
            lambda f: rewrite(
                f / "post_topics" / "part-0.parquet",
                pa.table({"post": pa.array([2**64 - 1], pa.uint64()), "topic": [0]}),
            ),
            r"post_topics/part-0\.parquet: post does not fit int64",
        ),
        (
            lambda f: rewrite(
                f / "post_topics" / "part-0.parquet", pa.table({"post": [0], "topic": [7]})
            ),
            "a post names a topic that is not there",
        ),
        (
            lambda f: rewrite(
                f / "post_topics" / "part-0.parquet", pa.table({"post": [2**40], "topic": [0]})
            ),
            r"post_topics: a post outside 0",
        ),
        (
            lambda f: rewrite(
                f / "handles" / "part-0.parquet",
                pa.table({"handle": [1], "person": [0], "network": [0], "hidden": [False]}),
            ),
            "handles are not numbered 0, 1, 2",
        ),
        (
            lambda f: rewrite(
                f / "handles" / "part-0.parquet",
                pa.table({"handle": [0], "person": [0], "network": [2], "hidden": [False]}),
            ),
            r"handles: a network outside 0 … 1",
        ),
        (lambda f: spoil_meta(f, people=1), "a handle names a person that is not there"),
        (
            lambda f: rewrite(
                next((f / "interactions").iterdir()) / "part-0.parquet",
                pa.table(
                    {"actor": [-1], "target": [0], "kind": [1], "age_days": [1.0], "post": [-1]}
                ),
            ),
            r"interactions: a actor outside 0",
        ),
        (
            lambda f: rewrite(
                next((f / "interactions").iterdir()) / "part-0.parquet",
                pa.table(
                    {"actor": [0], "target": [0], "kind": [10**6], "age_days": [1.0], "post": [-2]}
                ),
            ),
            r"interactions: a kind outside -1 … 999",
        ),
        (lambda f: spoil_meta(f, networks=1), r"handles: a network outside 0 … 0"),
    ],
)
def test_a_damaged_window_is_refused_naming_the_file(window, spoil, message):
    folder, _ = window

    spoil(folder)

    with pytest.raises(LayoutError, match=message) as refused:
        signals_read(str(folder))
    assert str(folder) in str(refused.value)


def test_a_window_without_its_interactions_folder_is_refused(window):
    folder, _ = window
    for day in (folder / "interactions").iterdir():
        (day / "part-0.parquet").unlink()
        day.rmdir()
    (folder / "interactions").rmdir()

    with pytest.raises(LayoutError, match=r"interactions is missing"):
        signals_read(str(folder))


def test_scores_are_no_window_nor_a_window_scores(window, scored):
    with pytest.raises(LayoutError, match=r"meta\.json: handles is None, no count"):
        scores_read(str(window[0]))
    with pytest.raises(LayoutError, match=r"meta\.json: topics is None, no count"):
        signals_read(str(scored[0]))


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda f: spoil_meta(f, version=5), r"meta\.json: the version is 5, no text"),
        (lambda f: spoil_meta(f, format="1"), r"meta\.json is of format '1'"),
        (
            lambda f: rewrite(
                f / "people" / "part-1.parquet",
                pq.read_table(str(f / "people" / "part-0.parquet")).slice(0, 1),
            ),
            r"people: 11 rows for 10 persons, one each",
        ),
        (
            lambda f: rewrite(
                f / "people" / "part-0.parquet",
                pq.read_table(str(f / "people" / "part-0.parquet")).drop_columns(["persistence"]),
            ),
            r"people/part-0\.parquet has no column 'persistence'",
        ),
        (lambda f: spoil_meta(f, handles=12), r"handles: 11 rows for 12 handles"),
        (lambda f: spoil_meta(f, people=9), r"people: a person outside 0 … 8"),
        (lambda f: spoil_meta(f, networks=1), r"network_raw: a network outside 0 … 0"),
        (lambda f: spoil_meta(f, top=2), r"tops: a rank outside 0 … 1"),
        (
            lambda f: rewrite(
                f / "tops" / "part-1.parquet",
                pa.table(
                    {"person": [0], "list": ["friends"], "rank": [0], "item": [1], "weight": [1.0]}
                ),
            ),
            r"tops: a list that is none of contributors, posts",
        ),
        (
            lambda f: rewrite(
                f / "tops" / "part-1.parquet",
                pa.table(
                    {"person": [0], "list": ["posts"], "rank": [0], "item": [-1], "weight": [0.0]}
                ),
            ),
            r"tops: a item outside 0",
        ),
        (lambda f: (f / "network_raw" / "part-0.parquet").unlink(), "network_raw holds no"),
    ],
)
def test_damaged_scores_are_refused_naming_the_file(scored, spoil, message):
    folder, _ = scored

    spoil(folder)

    with pytest.raises(LayoutError, match=message) as refused:
        scores_read(str(folder))
    assert str(folder) in str(refused.value)


@pytest.mark.parametrize("name", ["a\0b", "nowhere://at/all", "\ud800", ""])
def test_a_url_that_names_no_folder_is_refused(tmp_path, name):
    url = f"{tmp_path}/{name}" if name and "://" not in name else name
    with pytest.raises(LayoutError, match=r"names no folder|is no folder pyarrow reaches"):
        signals_read(url)
    with pytest.raises(LayoutError):
        scores_write(compute(a_world(), PARAMS), url)
