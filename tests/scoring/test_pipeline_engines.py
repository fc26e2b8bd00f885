"""The run's three steps: the window it extracts written as Parquet where SCORING_WINDOW_URL
says, the compute step it scores with chosen by name (SCORING_ENGINE, compute_scores
--engine), and its load writing scores a compute step left as Parquet."""

import subprocess
import sys
import types
from dataclasses import fields, replace
from datetime import date
from io import StringIO
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scoring import pipeline
from scoring.engine.compute import compute
from scoring.engine.explain import without_new_engagement
from scoring.engine.parquet import (
    INTERACTIONS,
    LayoutError,
    params_read,
    scores_read,
    scores_write,
    signals_read,
    window_as_of,
)
from scoring.engine.versions import LIVE, MODELS
from scoring.models import Person, ScoreDetails, ScoreSnapshot
from scoring.pipeline.extract import window_check
from scoring.pipeline.load import day_load
from tests.scoring.worlds import handle, post, share, write_and_import

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 21)
SPARK = "scoring.spark.compute"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(tmp_path):
    """Alice's post drew five fans over the days before, and Bob on the last day."""
    fans = [str(100 + n) for n in range(5)]
    records = [handle("1", "alice", "Alice"), handle("2", "bob", "Bob")]
    records += [handle(fan, f"fan{fan}", f"Fan {fan}") for fan in fans]
    records += [post("p1", "1")]
    records += [share(fan, "1", "p1", day=15 + n) for n, fan in enumerate(fans)]
    records += [share("2", "1", "p1", day=20), share("1", "2", "", day=20)]
    write_and_import(tmp_path, records)


def assert_same(expected, got):
    for field in fields(expected):
        want, have = getattr(expected, field.name), getattr(got, field.name)
        if isinstance(want, np.ndarray):
            assert have.dtype == want.dtype, field.name
            np.testing.assert_array_equal(have, want, err_msg=field.name)
        else:
            assert have == want, field.name


def compute_scores(*args):
    out = StringIO()
    call_command("compute_scores", "--as-of", DAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def snapshots():
    return list(
        ScoreSnapshot.objects.order_by("person_id").values_list(
            "person_id",
            "day",
            "model_version",
            "score",
            "reach",
            "amplification",
            "network",
            "persistence",
        )
    )


def test_a_run_writes_the_window_it_scores_where_the_setting_says(world, settings, tmp_path):
    settings.SCORING_WINDOW_URL = str(tmp_path / "window")

    _, scores, extract = pipeline.run(as_of=DAY, params=MODELS[LIVE], live=True)

    window = signals_read(settings.SCORING_WINDOW_URL)
    assert_same(extract.signals, window)
    assert window.people == 7
    assert len(window.actor) == 7
    assert window_as_of(settings.SCORING_WINDOW_URL) == DAY
    assert params_read(settings.SCORING_WINDOW_URL) == MODELS[LIVE]
    assert_same(scores, compute(window, MODELS[LIVE]))


def test_a_run_writes_no_window_when_the_setting_is_empty(world, settings, tmp_path):
    settings.SCORING_WINDOW_URL = ""

    pipeline.run(as_of=DAY, params=MODELS[LIVE], live=False)

    assert list(tmp_path.iterdir()) == [tmp_path / "world.jsonl"]


def test_a_window_that_cannot_be_written_scores_nothing(world, settings, tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    settings.SCORING_WINDOW_URL = str(tmp_path / "taken")

    with pytest.raises(OSError, match="taken"):
        compute_scores()

    assert snapshots() == []


def test_load_writes_the_scores_a_compute_step_left_as_parquet(world, tmp_path):
    _, scores, extract = pipeline.run(as_of=DAY, params=MODELS[LIVE], live=True)
    written = snapshots()
    scores_write(scores, str(tmp_path / "scores"))
    ScoreSnapshot.objects.all().delete()

    day_load(day=DAY, scores=scores_read(str(tmp_path / "scores")), extract=extract, reasons=None)

    assert snapshots() == written


def test_the_numpy_engine_is_the_default_and_can_be_named(world):
    compute_scores()
    default = snapshots()
    ScoreSnapshot.objects.all().delete()

    out = compute_scores("--engine", "numpy")

    assert "Scored 7 people for 2026-11-21" in out
    assert snapshots() == default


def test_spark_where_it_cannot_be_imported_is_refused_before_any_day_is_scored(world, monkeypatch):
    monkeypatch.setitem(sys.modules, SPARK, None)  # what an import finds when it fails

    with pytest.raises(CommandError, match="the spark compute step cannot be imported here"):
        compute_scores("--engine", "spark", "--since", "3d")

    assert snapshots() == []
    assert Person.objects.exclude(score=None).count() == 0


@pytest.mark.parametrize(
    ("engine", "message"),
    [("spark", "the spark compute step cannot be imported"), ("fortran", "no compute step")],
)
def test_the_setting_chooses_the_engine(world, settings, monkeypatch, engine, message):
    monkeypatch.setitem(sys.modules, SPARK, None)
    settings.SCORING_ENGINE = engine

    with pytest.raises(CommandError, match=message):
        compute_scores()

    assert snapshots() == []


def test_the_chosen_engine_scores_the_days_and_the_explanations(world, monkeypatch):
    """A compute step that records what it was given: the window of each day, and for the
    live day the counterfactual of its explanations, with the standing the day found."""
    calls = []

    def recording(signals, params, standing=None):
        calls.append((signals.people, len(signals.actor), standing is not None))
        return compute(signals, params, standing)

    monkeypatch.setitem(sys.modules, SPARK, types.SimpleNamespace(compute=recording))

    compute_scores("--engine", "spark", "--since", "2d")

    assert calls == [(7, 5, False), (7, 7, False), (7, 5, True)]
    assert ScoreSnapshot.objects.filter(day=DAY).count() == 7


def test_nothing_loads_pyspark_unless_spark_is_chosen():
    code = (
        "import sys, django; django.setup(); "
        "from django.core.management import load_command_class; "
        "load_command_class('scoring', 'compute_scores'); "
        "from scoring import pipeline, tasks; pipeline.compute_with('numpy'); "
        "print(sorted(m for m in sys.modules if m.startswith(('pyspark', 'scoring.spark'))))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    assert found.stdout.strip() == "[]"


def score_elsewhere(window, scores_url, **changes):
    """What a compute step on a cluster does: read the window, score it, write the scores."""
    scores = compute(signals_read(window), params_read(window))
    scores_write(replace(scores, **changes), scores_url)


def people():
    return list(Person.objects.order_by("pk").values_list("pk", "score", "percentile"))


def test_scores_a_compute_step_left_load_as_the_run_would_write_them(world, settings, tmp_path):
    settings.SCORING_WINDOW_URL = str(tmp_path / "window")
    compute_scores()
    expected, expected_people = snapshots(), people()
    ScoreSnapshot.objects.all().delete()
    Person.objects.update(score=None, percentile=None)

    out = compute_scores("--window-only")
    assert out == (
        f"Wrote the window of 2026-11-21 (7 people, 7 interactions) at {tmp_path}/window.\n"
    )
    assert snapshots() == []
    score_elsewhere(settings.SCORING_WINDOW_URL, str(tmp_path / "scores"))
    compute_scores("--scores-from", str(tmp_path / "scores"))

    assert snapshots() == expected
    assert people() == expected_people


def test_the_reasons_counterfactual_a_compute_step_left_is_the_one_explained_with(
    world, settings, tmp_path, monkeypatch
):
    """The Spark job scores each person's score without the last day's engagement beside the
    scores (without_new/): the load explains the day's moves with it and scores nothing."""
    call_command("compute_scores", "--as-of", "2026-11-20", stdout=StringIO())  # the day before
    settings.SCORING_WINDOW_URL = window = str(tmp_path / "window")
    compute_scores()
    expected = explained()
    assert any(data["reasons"] for data in expected.values())
    compute_scores("--window-only")
    scores = compute(signals_read(window), params_read(window))
    scores_write(scores, str(tmp_path / "scores"))
    without_new = without_new_engagement(signals_read(window), params_read(window), scores)
    engaged = np.flatnonzero(without_new != scores.score)
    (tmp_path / "scores/without_new").mkdir()
    pq.write_table(
        pa.table({"person": engaged, "score": without_new[engaged]}),
        tmp_path / "scores/without_new/part-0.parquet",
    )
    monkeypatch.setattr("scoring.pipeline.compute.compute", nothing_scored_here)

    compute_scores("--scores-from", str(tmp_path / "scores"))

    assert explained() == expected


def explained():
    return dict(ScoreDetails.objects.values_list("person_id", "data"))


def nothing_scored_here(*args):
    raise AssertionError("the load scored the counterfactual itself")


def test_the_window_is_checked_whatever_order_the_database_reads_its_rows_in(world, tmp_path):
    """A parallel scan gives a large window's rows in another order each time: the check of
    the database against the window written takes them in any order, unsorted."""
    url = str(tmp_path / "window")
    extract = pipeline.extract_window(as_of=DAY, params=MODELS[LIVE])
    written = pipeline.window_write(extract, MODELS[LIVE], DAY, url)
    signals = extract.signals
    backwards = replace(signals, **{name: getattr(signals, name)[::-1] for name in INTERACTIONS})

    window_check(replace(extract, signals=backwards), DAY, url)

    assert_same(written.signals, signals_read(url))
    swapped = replace(backwards, actor=backwards.target, target=backwards.actor)
    with pytest.raises(LayoutError, match="is not the window of 2026-11-21"):
        window_check(replace(extract, signals=swapped), DAY, url)


def test_scores_of_a_window_the_database_moved_on_from_are_refused(world, settings, tmp_path):
    settings.SCORING_WINDOW_URL = str(tmp_path / "window")
    compute_scores("--window-only")
    score_elsewhere(settings.SCORING_WINDOW_URL, str(tmp_path / "scores"))
    write_and_import(tmp_path, [share("103", "2", "", day=19)])

    with pytest.raises(CommandError, match=r"is not the window of 2026-11-21 in the database now"):
        compute_scores("--scores-from", str(tmp_path / "scores"))

    assert snapshots() == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"version": "v0"}, r"holds the scores \(model, people, handles\) \('v0', 7, 7\)"),
        ({"top_posts": np.full((7, 5), 3)}, "names a person, post or topic the window does not"),
    ],
)
def test_scores_not_of_the_window_are_refused(world, settings, tmp_path, changes, message):
    settings.SCORING_WINDOW_URL = str(tmp_path / "window")
    compute_scores("--window-only")
    score_elsewhere(settings.SCORING_WINDOW_URL, str(tmp_path / "scores"), **changes)

    with pytest.raises(CommandError, match=message):
        compute_scores("--scores-from", str(tmp_path / "scores"))

    assert snapshots() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--window-only"], "SCORING_WINDOW_URL is empty: it names where the window goes"),
        (["--scores-from", "/nowhere"], "SCORING_WINDOW_URL is empty: it names the window"),
        (["--window-only", "--since", "3d"], "not with --window-only or --scores-from"),
    ],
)
def test_the_steps_apart_need_a_window_url(world, settings, args, message):
    settings.SCORING_WINDOW_URL = ""

    with pytest.raises(CommandError, match=message):
        compute_scores(*args)

    assert snapshots() == []


@pytest.mark.parametrize(
    ("url", "message"),
    [("\0", "names no folder"), ("missing", r"missing/meta\.json is missing")],
)
def test_scores_that_are_not_there_are_refused(world, settings, tmp_path, url, message):
    settings.SCORING_WINDOW_URL = str(tmp_path / "window")
    compute_scores("--window-only")

    with pytest.raises(CommandError, match=message):
        compute_scores("--scores-from", str(tmp_path / url) if url.isalpha() else url)

    assert snapshots() == []
