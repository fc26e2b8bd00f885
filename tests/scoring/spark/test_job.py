"""The compute step as a Spark application: a window folder in, a scores folder out."""

import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scoring.engine.compute import compute
from scoring.engine.explain import without_new_engagement
from scoring.engine.parquet import (
    HANDLES,
    INTERACTIONS,
    scores_read,
    signals_write,
    without_new_read,
)
from scoring.engine.versions import MODELS
from scoring.spark.job import main
from tests.scoring.spark.sameness import assert_same_scores
from tests.scoring.spark.worlds import topic_world

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]  # one JVM, each world once
ROOT = Path(__file__).resolve().parents[3]


def test_spark_submit_scores_a_window_folder_as_the_engine_does(tmp_path):
    """As the README submits the job to a cluster: the scoring package zipped beside it, run
    from elsewhere, so that the zip is all of Sway the job has."""
    signals, params = topic_world(seed=3).signals(), MODELS["v1"]
    window, scores = str(tmp_path / "window"), str(tmp_path / "scores")
    signals_write(signals, date(2026, 11, 1), window, params=params)

    finished = subprocess.run(
        [Path(sys.executable).with_name("spark-submit"), "--master", "local[2]",
         "--py-files", _zipped_scoring(tmp_path), ROOT / "scoring/spark/job.py",
         "--window", window, "--out", scores],
        cwd=tmp_path,
        env=os.environ | {"PYSPARK_PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip

    assert finished.returncode == 0, finished.stderr[-3000:]
    expected = compute(signals, params)
    assert_same_scores(expected, scores_read(scores))
    # The explanations' counterfactual, scored beside the scores.
    without_new = without_new_read(scores, scores_read(scores))
    assert without_new is not None
    np.testing.assert_allclose(
        without_new, without_new_engagement(signals, params, expected), rtol=0, atol=0.01
    )
    assert (without_new < expected.score - 0.01).sum() >= 3  # the last day's engagement counted


@pytest.mark.parametrize(
    "meta",
    [
        "",
        "\x00",
        '{"as_of": "2026-11-01", "people": 3, "networks": 1, "topics": 0}',  # no format
        '{"as_of": "2026-11-01", "people": 1e400, "networks": 1, "topics": 0, "format": 1}',
        '{"as_of": "2026-11-01", "people": 99999999999999999999, "networks": 1, "topics": 0, '
        '"format": 1}',
        '{"as_of": "2026-11-01", "people": -1, "networks": 1, "topics": 0, "format": 1}',
        '{"as_of": "\\ud800", "people": 1, "networks": 1, "topics": 0, "format": 1}',
        '{"as_of": "2026-11-01", "people": {"a": [[[[[]]]]]}, "networks": 1, "topics": 0, '
        '"format": 1}',
        "[" * 100_000,
        " " * (2 << 20),
    ],
)
def test_a_window_not_of_the_layout_is_refused_and_nothing_is_written(tmp_path, capsys, meta):
    window = tmp_path / "window"
    signals_write(topic_world().signals(), date(2026, 11, 1), str(window), params=MODELS["v1"])
    (window / "meta.json").write_text(meta, encoding="utf-8", errors="surrogatepass")

    assert main(["--window", str(window), "--out", str(tmp_path / "scores")]) == 2

    assert "scoring.spark.job: " in capsys.readouterr().err
    assert not (tmp_path / "scores").exists()


@pytest.mark.parametrize(
    "params", ["", "{}", '{"version": "x", "top": 1e400}', '{"version": "\x00",']
)
def test_a_window_without_its_parameters_is_refused(tmp_path, capsys, params):
    window = tmp_path / "window"
    signals_write(topic_world().signals(), date(2026, 11, 1), str(window), params=MODELS["v1"])
    (window / "params.json").write_text(params)

    assert main(["--window", str(window), "--out", str(tmp_path / "scores")]) == 2
    assert "params" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("folder", "row", "named"),
    [
        ("interactions", {"actor": 10**6}, "interactions: 1 rows with actor null or outside 0 …"),
        ("interactions", {"age_days": float("nan")}, "with age_days null or outside -30000 …"),
        ("interactions", {"post": None}, "with post null"),
        ("handles", {"handle": 0}, "a handle number is there twice"),
    ],
)
def test_rows_the_engine_would_refuse_are_refused(tmp_path, capsys, folder, row, named):
    window = tmp_path / "window"
    signals_write(topic_world().signals(), date(2026, 11, 1), str(window), params=MODELS["v1"])
    schema = INTERACTIONS if folder == "interactions" else HANDLES
    first = next((window / folder).rglob("*.parquet"))
    bad = pq.read_table(first, schema=pa.schema(schema)).slice(0, 1).to_pylist()[0] | row
    pq.write_table(pa.Table.from_pylist([bad], pa.schema(schema)), first.parent / "bad.parquet")

    assert main(["--window", str(window), "--out", str(tmp_path / "scores")]) == 2

    assert named in capsys.readouterr().err
    assert not (tmp_path / "scores").exists()


@pytest.mark.parametrize("url", ["\x00", "nope://x", "window/\udcff"])
def test_folders_no_filesystem_reaches_are_refused(tmp_path, capsys, url):
    window = tmp_path / "window"
    signals_write(topic_world().signals(), date(2026, 11, 1), str(window), params=MODELS["v1"])

    assert main(["--window", url, "--out", str(tmp_path / "scores")]) == 2
    assert main(["--window", str(window), "--out", url]) == 2
    assert capsys.readouterr().err.count("scoring.spark.job: ") == 2


def _zipped_scoring(folder: Path) -> Path:
    """scoring.zip as `zip -qr scoring.zip scoring -i '*.py'` makes it."""
    path = folder / "scoring.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for source in sorted((ROOT / "scoring").rglob("*.py")):
            archive.write(source, source.relative_to(ROOT))
    return path
