"""The terms a model version may switch on: how weight falls with age, selectivity, and
amplification on known posts only."""

import math
from dataclasses import replace

import pytest
from numpy.testing import assert_allclose

from scoring.engine.compute import compute, signal_weights
from scoring.engine.model import COMMENT
from tests.scoring.engine.support import PARAMS, World


@pytest.mark.parametrize("decay", ["exponential", "hyperbolic"])
def test_a_signal_weighs_half_at_the_half_life(decay):
    world = World()
    fan, star = world.people(2)
    for age in (0.0, 10.0, 20.0):
        world.engage(fan, star, age=age)
    params = replace(PARAMS, decay=decay, half_life_days=10.0)

    weights = signal_weights(world.signals(), params)

    expected = [1.0, 0.5, 0.25] if decay == "exponential" else [1.0, 0.5, 1 / 3]
    assert_allclose(weights, expected)


def test_engagement_from_someone_who_engages_with_everyone_is_worth_less():
    world = World()
    star, fan, everyone_s_fan = world.people(3)
    crowd = world.people(40)
    world.engage(fan, star, age=0.0)
    world.engage(everyone_s_fan, star, age=0.0)
    for other in crowd:
        world.engage(everyone_s_fan, other)
    params = replace(PARAMS, selective_targets=10.0, selectivity=0.5)

    scores = compute(world.signals(), params)

    assert_allclose(scores.handle_selectivity[[fan, everyone_s_fan]], [1.0, (10 / 41) ** 0.5])
    assert_allclose(compute(world.signals(), PARAMS).handle_selectivity, 1.0)  # v1: never
    assert scores.reach[star] == pytest.approx(
        (1 + (10 / 41) ** 0.5) * -math.expm1(-1 / PARAMS.saturation)
    )


def test_amplification_can_leave_out_engagement_on_no_known_post():
    world = World()
    star = world.handle()
    for fan in world.people(5):
        world.engage(fan, star, kind=COMMENT)  # no post: grouped by day, or left out

    by_day = compute(world.signals(), PARAMS)
    known_only = compute(world.signals(), replace(PARAMS, amplify_unknown_posts=False))

    assert by_day.amplification[star] > 0
    assert known_only.amplification[star] == 0.0
    assert known_only.reach[star] == by_day.reach[star]
