"""Persistence: the days people engaged with someone, never more than the people who did."""

from dataclasses import replace

import numpy as np
import pytest
from numpy.testing import assert_allclose

from scoring.engine.compute import compute
from scoring.engine.persistence import persistence
from scoring.engine.versions import MODELS
from tests.scoring.engine.support import PARAMS, World

PERSISTING = replace(PARAMS, persistence_weight=1.0, persistence_fade_days=10.0)


def held(unit, actor, age, worth=None, units=2):
    worth = np.ones(len(unit)) if worth is None else np.array(worth, dtype=np.float64)
    return persistence(
        np.array(unit, dtype=np.int64),
        np.array(actor, dtype=np.int64),
        np.array(age, dtype=np.float64),
        worth,
        units,
    )


def test_three_people_on_three_days_are_three():
    assert_allclose(held([0, 0, 0], [1, 2, 3], [0.5, 1.5, 2.5]), [3.0, 0.0])


def test_one_person_every_day_is_one():
    assert_allclose(held([0] * 60, [1] * 60, np.arange(60) + 0.5), [1.0, 0.0])


def test_many_people_on_one_day_are_one():
    assert_allclose(held([0] * 5, [1, 2, 3, 4, 5], [3.2] * 5), [1.0, 0.0])


def test_each_day_and_each_person_count_by_their_best_worth():
    # Day 0 by person 1 (0.5) and person 2 (1.0); day 1 by person 1 (0.25); nothing counted
    # where the worth is 0.
    days_and_people = held([0, 0, 0, 1], [1, 2, 1, 2], [0.1, 0.9, 1.5, 2.0], [0.5, 1.0, 0.25, 0])

    assert_allclose(days_and_people, [1.25, 0.0])


def test_nothing_is_nothing():
    assert_allclose(held([], [], []), [0.0, 0.0])


def fans_over_days(days, hidden=False):
    world = World()
    star = world.handle(hidden=hidden)
    for day, fan in enumerate(world.people(10)):
        world.engage(fan, star, age=0.5 + day % days)
    return world


def test_the_term_adds_the_log_of_the_days_engagers_came_on():
    for days, expected in ((10, np.log1p(10)), (1, np.log1p(1))):
        signals = fans_over_days(days).signals()

        added = compute(signals, PERSISTING).raw[0] - compute(signals, PARAMS).raw[0]

        assert added == pytest.approx(expected)


def test_the_days_fade_over_their_own_last_days_of_the_window():
    world = World()
    star, fan = world.people(2)
    world.engage(fan, star, age=85.0)  # half-way through persistence's 10-day fade

    raw = compute(world.signals(), PERSISTING).raw[star]

    assert raw - compute(world.signals(), PARAMS).raw[star] == pytest.approx(np.log1p(0.5))


def test_a_private_handle_draws_no_persistence():
    scores = compute(fans_over_days(10, hidden=True).signals(), PERSISTING)

    assert scores.score[0] == PERSISTING.private_score
    assert (scores.raw[0], scores.persistence[0]) == (0.0, 0.0)


def test_a_persons_persistence_is_the_sum_of_their_handles():
    """Person 0 has two handles: ten fans on ten days on one, three on three on the other, and
    a private third that draws nothing. Apart, each handle is its own person."""
    world = World()
    star = world.handle()
    second = world.handle(person=star, network=1)
    hidden = world.handle(person=star, network=2, hidden=True)
    fans = world.people(10)
    for day, fan in enumerate(fans):
        world.engage(fan, star, age=0.5 + day)
        world.engage(fan, hidden, age=0.5 + day)
    for day, fan in enumerate(fans[:3]):
        world.engage(fan, second, age=10.5 + day)
    joined = world.signals()
    apart = replace(joined, handle_person=np.array([0, 11, 12, *range(1, 11)]), people=13)

    together, separate = compute(joined, PERSISTING), compute(apart, PERSISTING)

    assert_allclose(separate.persistence[[0, 11, 12]], [10.0, 3.0, 0.0])
    assert together.persistence[0] == pytest.approx(13.0)
    assert_allclose(together.persistence[1:11], separate.persistence[1:11])


def test_versions_without_the_term_count_no_persistence():
    signals = fans_over_days(10).signals()

    without = compute(signals, MODELS["v1"])

    assert compute(signals, MODELS["v3"]).persistence[0] == pytest.approx(10.0)
    assert_allclose(without.persistence, np.zeros(signals.people))
    assert without.reach[0] > 0


def test_a_topic_counts_the_days_its_posts_drew_people():
    def topic_score(days):
        world = World()
        star = world.handle()
        for day, fan in enumerate(world.people(10)):
            world.engage(fan, star, post=day % 2, age=0.5 + day % days)
        world.about(0, 0)
        world.about(1, 0)
        scores = compute(world.signals(), PERSISTING)
        assert scores.top_topics[star, 0] == 0
        return scores.topic_scores[star, 0]

    assert topic_score(10) > topic_score(1)


def test_one_persons_reactions_on_every_day_count_as_one_persons():
    def reacting(days):
        world = World()
        world.handle()
        fan = world.handle()
        for day in range(days):
            world.engage(fan, 0, age=0.5 + day)
        return compute(world.signals(), MODELS["v3"]).score[0]

    assert reacting(89) - reacting(1) < 1.0


def test_ages_off_the_window_count_for_nothing():
    clean = fans_over_days(10)
    hostile = fans_over_days(10)
    fan = hostile.handle()
    for age in (-5.0, -1e-9, 90.0, 1e6):  # NaN and inf never come: ages are from timestamps
        hostile.engage(fan, 0, age=age)

    assert (
        compute(hostile.signals(), PERSISTING).raw[0] == compute(clean.signals(), PERSISTING).raw[0]
    )
