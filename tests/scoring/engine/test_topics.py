"""What people are influential about: the score counted on their own posts about a topic,
earned by several posts that several people engaged with."""

import numpy as np
from numpy.testing import assert_array_equal

from scoring.engine.compute import compute
from scoring.engine.model import MENTION
from tests.scoring.engine.support import PARAMS, World

ICE_CREAM, JAZZ, FILM = 0, 1, 2


def posts_about(world, author, topic, *, posts, fans, first_post):
    """`posts` posts of the author about the topic, each shared by `fans` new people."""
    for post in range(first_post, first_post + posts):
        world.about(post, topic)
        for fan in world.people(fans):
            world.engage(fan, author, post=post)


def test_topics_rank_by_topic_score():
    world = World()
    author = world.handle()
    posts_about(world, author, ICE_CREAM, posts=2, fans=9, first_post=0)
    posts_about(world, author, JAZZ, posts=2, fans=3, first_post=2)

    scores = compute(world.signals(), PARAMS)

    assert_array_equal(scores.top_topics[author][:3], [ICE_CREAM, JAZZ, -1])
    ice_cream, jazz = scores.topic_scores[author][:2]
    assert 1 < jazz < ice_cream <= 100
    assert ice_cream <= scores.score[author] + 1e-9  # a part of the engagement, a part of it


def test_a_single_post_does_not_make_an_expert():
    world = World()
    author = world.handle()
    posts_about(world, author, ICE_CREAM, posts=1, fans=50, first_post=0)

    scores = compute(world.signals(), PARAMS)

    assert scores.score[author] > 20
    assert np.all(scores.top_topics[author] == -1)


def test_too_few_people_do_not_make_an_expert():
    world = World()
    author = world.handle()
    posts_about(world, author, ICE_CREAM, posts=5, fans=0, first_post=0)
    for fan in world.people(PARAMS.topic_min_people - 1):
        for post in range(5):
            world.engage(fan, author, post=post)

    scores = compute(world.signals(), PARAMS)

    assert np.all(scores.top_topics[author] == -1)


def test_being_mentioned_by_people_posting_about_a_topic_gives_no_topic():
    world = World()
    mentioned, poster = world.handle(), world.handle()
    posts_about(world, poster, ICE_CREAM, posts=3, fans=5, first_post=0)
    for _ in range(3):  # the poster's ice-cream posts mention someone: no post of theirs
        world.engage(poster, mentioned, kind=MENTION)

    scores = compute(world.signals(), PARAMS)

    assert scores.score[mentioned] > 1
    assert np.all(scores.top_topics[mentioned] == -1)
    assert scores.top_topics[poster][0] == ICE_CREAM


def test_engagement_from_influential_people_raises_a_topic_score_more():
    def topic_score(fan_is_influential):
        world = World()
        author = world.handle()
        posts_about(world, author, JAZZ, posts=2, fans=3, first_post=0)
        fan = world.handle()
        if fan_is_influential:
            for admirer in world.people(40):
                world.engage(admirer, fan)
        world.engage(fan, author, post=0)
        return compute(world.signals(), PARAMS).topic_scores[author][0]

    assert topic_score(fan_is_influential=True) > topic_score(fan_is_influential=False)


def test_a_private_handle_earns_no_topic_and_a_person_keeps_ten():
    world = World()
    private = world.handle(hidden=True)
    busy = world.handle()
    posts_about(world, private, FILM, posts=3, fans=5, first_post=0)
    for topic in range(12):
        posts_about(world, busy, topic, posts=2, fans=3 + topic, first_post=10 + 2 * topic)

    scores = compute(world.signals(), PARAMS)

    assert np.all(scores.top_topics[private] == -1)
    assert PARAMS.topic_top == scores.top_topics.shape[1] == 10
    assert_array_equal(scores.top_topics[busy], list(range(11, 1, -1)))
