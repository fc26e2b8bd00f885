"""Worlds for comparing the Spark implementation with the engine: the property tests' worlds
(tests/scoring/engine/test_properties.py) side by side in one, and one with topics, private
handles and several networks."""

import numpy as np

from scoring.engine.model import COMMENT, LIKE, MENTION, REPLY, SHARE
from tests.scoring.engine.support import World

KINDS = [SHARE, REPLY, COMMENT, MENTION, LIKE]


def property_worlds(seed: int = 25) -> World:
    """Stars with fans of every age (some past the window), one post moving many beside many
    posts moving one each, one person reacting a hundred times, a private person, automated
    accounts, a person joined across two networks, and random engagement. Fans engaging
    alike make equal entries, so the top lists' ties are broken too."""
    world = World()
    for age in (2.0, 40.0, 89.0, 90.0):
        _fans(world, 12, age=age)
    _one_post_and_many_posts(world, fans=30, first_post=0)
    star = world.handle()
    world.engage(world.handle(), star, times=100)
    private = world.handle(hidden=True)
    for fan in world.people(20):
        world.engage(fan, private)
        world.engage(private, fan, kind=REPLY)
    _automated(world)
    joined = world.handle(network=0)
    second = world.handle(person=world.handles[joined][0], network=1)
    for fan in world.people(5, network=1):
        world.engage(fan, second, kind=LIKE)
        world.engage(joined, fan)
    _random(world, np.random.default_rng(seed), first_post=1_000)
    return world


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


def _fans(world: World, count: int, age: float) -> None:
    star = world.handle()
    for fan in world.people(count):
        world.engage(fan, star, age=age)


def _one_post_and_many_posts(world: World, fans: int, first_post: int) -> None:
    one, many = world.handle(), world.handle()
    for number, fan in enumerate(world.people(fans), start=first_post + 1):
        world.engage(fan, one, post=first_post)
        world.engage(fan, many, post=number)


def _automated(world: World) -> None:
    """Accounts acting on strangers at a machine's volume, and on one target, beside a
    target that people engage with."""
    genuine, botted = world.people(2)
    for fan in world.people(10):
        world.engage(fan, genuine, kind=MENTION)
    crowd = world.people(40)
    for bot in world.people(4):
        world.engage(bot, botted, kind=MENTION)
        for victim in crowd:
            world.engage(bot, victim, kind=MENTION, times=120)
    world.engage(crowd[0], 0)  # one stranger engages back


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
