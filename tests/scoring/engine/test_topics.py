"""What people are influential about: the topics of the posts that drew their engagement."""

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal

from scoring.engine.compute import compute
from tests.scoring.engine.support import PARAMS, World

COFFEE, JAZZ, FILM = 0, 1, 2


def test_topics_rank_by_the_share_of_engagement_their_posts_drew():
    world = World()
    author = world.handle()
    for fan in world.people(9):
        world.engage(fan, author, post=0)
    for fan in world.people(3):
        world.engage(fan, author, post=1)
    world.about(0, COFFEE)
    world.about(1, JAZZ, COFFEE)

    scores = compute(world.signals(), PARAMS)

    assert_array_equal(scores.top_topics[author][:2], [COFFEE, JAZZ])
    assert_allclose(scores.topic_shares[author][:2], [1.0, 0.25], atol=0.01)
    assert_array_equal(scores.top_topics[author][2:], [-1, -1, -1])


def test_posting_about_a_topic_nobody_engages_with_says_nothing():
    world = World()
    author = world.handle()
    fan = world.handle()
    world.engage(fan, author, post=0)
    world.about(0, COFFEE)
    world.about(1, FILM)  # a post that drew nothing in the window

    scores = compute(world.signals(), PARAMS)

    assert scores.top_topics[author].tolist() == [COFFEE, -1, -1, -1, -1]
    assert np.all(scores.top_topics[fan] == -1)
