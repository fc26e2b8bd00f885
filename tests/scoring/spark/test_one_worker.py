"""Spark's tests share one xdist worker, so one JVM, and each property world is scored once."""

import pytest

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]


def test_the_spark_tests_are_grouped_on_one_worker(request):
    if not getattr(request.config.option, "loadgroup", False):  # set in xdist workers only
        pytest.skip("not run with --dist loadgroup")
    assert request.node.nodeid.endswith("@spark"), "xdist_group is ignored: see pyproject.toml"
