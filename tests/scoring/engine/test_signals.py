"""Signals refuse a world whose arrays do not describe one: the engine would otherwise index
past an array's end, or score someone with another's engagement."""

from dataclasses import replace

import numpy as np
import pytest

from tests.scoring.engine.support import World


@pytest.fixture
def signals():
    world = World()
    fan, star = world.people(2)
    world.engage(fan, star, post=0)
    world.about(0, 0)
    return world.signals()


def ints(*values):
    return np.array(values, dtype=np.int64)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"handle_hidden": np.array([False])}, "handle arrays differ in length"),
        ({"kind": ints()}, "interaction arrays differ in length"),
        ({"target": ints(2)}, "an interaction names a handle that is not there"),
        ({"people": 1}, "a handle names a person that is not there"),
        ({"post_topic_topic": ints(0, 0)}, "post topic arrays differ in length"),
        ({"topics": 0}, "a post names a topic that is not there"),
    ],
)
def test_signals_that_do_not_describe_one_world_are_refused(signals, change, problem):
    with pytest.raises(ValueError, match=f"^{problem}$"):
        replace(signals, **change)


def test_a_world_whose_arrays_agree_is_taken_as_it_is(signals):
    assert replace(signals).people == 2


@pytest.mark.parametrize(
    ("cut", "ages"), [("older_than", [1.0, 3.0]), ("newer_than", [0.5])], ids=["older", "newer"]
)
def test_the_world_cut_at_some_days_keeps_only_the_engagement_on_its_side(cut, ages):
    world = World()
    fan, star = world.people(2)
    for age in (0.5, 1.0, 3.0):
        world.engage(fan, star, age=age)

    kept = getattr(world.signals(), cut)(1.0)

    assert kept.age_days.tolist() == ages
    assert (kept.actor.tolist(), kept.target.tolist()) == ([fan] * len(ages), [star] * len(ages))
    assert (kept.kind.size, kept.post.size, kept.people) == (len(ages), len(ages), 2)
