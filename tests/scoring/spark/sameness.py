"""What "the same answers" means between the engine and the Spark implementation (issue 25):
every score within 0.01 points, every component within 1e-6 relative, the same top lists."""

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal

from scoring.engine.model import Scores

SCORE_POINTS = 0.01
RELATIVE = 1e-6
ON_THE_SCALE = ("score", "topic_scores")  # 1–100, two decimals
LISTS = ("top_contributors", "top_posts", "influencers", "influencees", "top_topics")


def assert_same_scores(expected: Scores, actual: Scores) -> None:
    assert actual.version == expected.version
    for name, value in expected.as_dict().items():
        if name in ON_THE_SCALE:
            assert_allclose(getattr(actual, name), value, rtol=0, atol=SCORE_POINTS, err_msg=name)
        elif name in LISTS:
            assert_array_equal(getattr(actual, name), value, err_msg=name)
        elif isinstance(value, np.ndarray):
            assert_allclose(getattr(actual, name), value, rtol=RELATIVE, atol=0, err_msg=name)


def largest_differences(expected: Scores, actual: Scores) -> tuple[float, float]:
    """The largest score difference in points, and the largest relative one of the rest."""
    points = max(float(np.max(np.abs(getattr(actual, n) - getattr(expected, n)), initial=0))
                 for n in ON_THE_SCALE)  # fmt: skip
    relative = 0.0
    for name, value in expected.as_dict().items():
        if isinstance(value, np.ndarray) and value.dtype.kind == "f" and name not in ON_THE_SCALE:
            other = getattr(actual, name)
            scale = np.maximum(np.abs(value), np.finfo(float).tiny)
            relative = max(relative, float(np.max(np.abs(other - value) / scale, initial=0)))
    return points, relative
