"""The Spark implementation gives the engine's answers on topics, private handles, several
networks and a given standing (issue 25; the property tests' worlds: test_properties.py)."""

import pytest

from scoring.engine.compute import compute as engine_compute
from scoring.engine.versions import MODELS
from scoring.spark.compute import compute as spark_compute
from tests.scoring.spark.sameness import assert_same_scores, largest_differences
from tests.scoring.spark.worlds import topic_world

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]  # one JVM, each world once
NEWEST = max(MODELS, key=lambda version: int(version.lstrip("v")))


def test_topics_private_handles_networks_and_a_given_standing_score_the_same():
    signals, params = topic_world().signals(), MODELS[NEWEST]
    standing = engine_compute(signals, MODELS["v1"]).standing()  # another model's, say

    expected = engine_compute(signals, params, standing)
    actual = spark_compute(signals, params, standing)

    assert_same_scores(expected, actual)
    assert (expected.top_topics[:, 0] >= 0).sum() >= 3  # topics were earned
    assert expected.network_raw[:, 2].any()
    assert (expected.score == params.private_score).any()
    print("largest differences (points, relative):", largest_differences(expected, actual))
