"""A world for comparing the Spark implementation with the engine beyond the property tests'
(tests/scoring/spark/test_properties.py): topics, private handles and several networks."""

import numpy as np

from scoring.engine.model import COMMENT, LIKE, MENTION, REPLY, SHARE
from tests.scoring.engine.support import World

KINDS = [SHARE, REPLY, COMMENT, MENTION, LIKE]


def topic_world(seed: int = 7) -> World:
    """Three networks, people with two handles, private handles, and posts about topics that
    enough people engage with for some topics to be earned."""
    rng = np.random.default_rng(seed)
    world = World()
    authors = [world.handle(network=n % 3, hidden=n == 4) for n in range(8)]
    for author in authors[:3]:
        world.handle(person=world.handles[author][0], network=2)
    fans = [*world.people(25, network=1), world.handle(hidden=True)]
    post = 0
    for author in authors:
        for _ in range(4):
            world.about(post, *rng.choice(5, size=rng.integers(1, 3), replace=False).tolist())
            for fan in rng.choice(fans, size=rng.integers(2, 9), replace=False):
                kind = KINDS[rng.integers(len(KINDS))]
                world.engage(int(fan), author, kind=kind, age=float(rng.uniform(0, 95)), post=post)
            post += 1
    world.about(10_000, 1)  # a post nobody engaged with
    _random(world, rng, first_post=post)
    return world


def _random(world: World, rng: np.random.Generator, first_post: int) -> None:
    """Forty handles acting on each other: every kind, ages from before the day scored to past
    the window, posts of the target's own or none, and some handles acting on many."""
    handles = world.people(40)
    for _ in range(600):
        actor, target = rng.choice(handles, size=2)
        post = int(first_post + target * 4 + rng.integers(4)) if rng.random() < 0.6 else -1
        age = float(rng.uniform(-1.0, 95.0))
        world.engage(
            int(actor), int(target), kind=KINDS[rng.integers(len(KINDS))], age=age, post=post
        )
