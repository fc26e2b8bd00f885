"""The backtest's measures and baselines (scoring.engine.validity), on small worlds."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from scoring.engine.model import COMMENT, LIKE, REPLY
from scoring.engine.validity import (
    Fit,
    distinct_engagers,
    engagement_count,
    fit,
    pagerank,
)
from tests.scoring.engine.support import World


def test_distinct_engagers_counts_people_once_and_never_ones_own_accounts():
    world = World()
    star, fan, other_fan = world.people(3)
    second_handle_of_star = world.handle(person=0)
    world.engage(fan, star, times=5)
    world.engage(other_fan, star, kind=LIKE)
    world.engage(second_handle_of_star, star)  # the star's own account

    assert_array_equal(distinct_engagers(world.signals()), [2.0, 0.0, 0.0])
    assert_array_equal(engagement_count(world.signals()), [6.0, 0.0, 0.0])


def test_engagement_with_a_hidden_handle_is_not_counted():
    world = World()
    private = world.handle(hidden=True)
    world.engage(world.handle(), private, kind=REPLY)

    assert_array_equal(distinct_engagers(world.signals()), [0.0, 0.0])
    assert_array_equal(engagement_count(world.signals()), [0.0, 0.0])


def test_pagerank_of_a_cycle_is_even_and_flows_to_who_is_engaged_with():
    cycle = World()
    cycle.people(4)
    for person in range(4):
        cycle.engage(person, (person + 1) % 4, kind=COMMENT, times=person + 1)

    assert_allclose(pagerank(cycle.signals()), [0.25] * 4)

    star = World()
    star.people(4)
    for fan in (1, 2, 3):
        star.engage(fan, 0)
    rank = pagerank(star.signals())

    assert_allclose(rank.sum(), 1.0)
    assert rank[0] > rank[1] == rank[2] == rank[3]
    # the star is dangling: its rank spreads evenly, so each fan gets 0.15/4 + 0.85·r0/4
    assert_allclose(rank[1], 0.15 / 4 + 0.85 * rank[0] / 4)


def test_a_perfect_prediction_fits_perfectly_and_a_reversed_one_does_not():
    truth = np.arange(200, dtype=np.float64)

    perfect = fit(truth * 3 + 1, truth)
    reversed_ = fit(-truth, truth)

    assert (perfect.spearman, perfect.top_precision) == pytest.approx((1.0, 1.0))
    assert (reversed_.spearman, reversed_.top_precision) == pytest.approx((-1.0, 0.0))


def test_top_precision_gives_no_credit_for_the_order_of_ties():
    truth = np.zeros(300)
    truth[[0, 1, 2]] = [9.0, 8.0, 7.0]  # the true top 1 % is people 0, 1 and 2
    prediction = np.zeros(300)
    prediction[:6] = 1.0  # six people tied at the top, three of them right

    assert fit(prediction, truth).top_precision == pytest.approx(0.5)


def test_a_constant_prediction_has_no_rank_correlation():
    truth = np.arange(10, dtype=np.float64)

    result = fit(np.ones(10), truth)

    assert result.spearman == 0.0
    assert result.top_precision == pytest.approx(0.1)


def test_a_world_with_nobody_has_no_rank_and_no_fit():
    nobody = World().signals()

    assert pagerank(nobody).size == 0
    assert fit(np.zeros(0), np.zeros(0)) == Fit(spearman=0.0, top_precision=0.0)


def test_a_fit_is_reported_to_four_decimals():
    assert Fit(spearman=0.123456, top_precision=0.5).as_dict() == {
        "spearman": 0.1235,
        "top_precision": 0.5,
    }
