"""Worlds side by side score as they do alone (the Spark property tests rest on this)."""

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal

from scoring.engine.compute import compute
from scoring.engine.model import LIKE, REPLY
from tests.scoring.engine.side_by_side import cut, side_by_side
from tests.scoring.engine.support import PARAMS, World


def _worlds():
    first = World()
    star, joined = first.handle(), first.handle()
    first.handle(person=first.handles[joined][0], network=1)
    for fan in first.people(6):
        first.engage(fan, star, post=3)
        first.engage(fan, 2, kind=LIKE, age=30.0)
    first.about(3, 1)
    second = World()
    private = second.handle(hidden=True)
    for fan in second.people(4):
        second.engage(fan, private, kind=REPLY, post=0)
        second.engage(private, fan)
    second.about(0, 0)
    second.about(7, 2)
    return [first.signals(), second.signals(shift_days=2.0)]


def test_each_world_scores_in_the_run_as_it_does_alone():
    worlds = _worlds()
    signals, _, places = side_by_side(worlds)

    together = compute(signals, PARAMS)

    for world, place in zip(worlds, places, strict=True):
        alone, part = compute(world, PARAMS), cut(together, place)
        for name, value in alone.as_dict().items():
            if name == "percentile" or not isinstance(value, np.ndarray):
                continue
            if value.dtype.kind == "i":
                assert_array_equal(getattr(part, name), value, err_msg=name)
            else:
                points = 0.01 if name in ("score", "topic_scores") else 1e-12
                assert_allclose(getattr(part, name), value, rtol=1e-6, atol=points, err_msg=name)


def test_standings_go_with_their_worlds():
    worlds = _worlds()
    standings = [compute(world, PARAMS).standing() for world in worlds]
    signals, standing, places = side_by_side(worlds, standings)

    together = compute(signals, PARAMS, standing)

    for world, given, place in zip(worlds, standings, places, strict=True):
        assert_array_equal(cut(together, place).score, compute(world, PARAMS, given).score)
