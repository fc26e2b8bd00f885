"""The ten properties of the score (issue 4), each on small constructed worlds, written once
for every implementation of the compute step (issue 25).

A property is a generator: it yields the worlds it needs scored (a list of Signals, or of
(Signals, Standing) pairs), receives their Scores in the same order, and asserts. Whoever
drives it decides how the worlds are scored: the NumPy engine one at a time
(test_properties.py), or Spark with every property's worlds side by side in one run
(tests/scoring/spark/test_properties.py). The properties Hypothesis explores take their
example as arguments; `EXPLORED` gives each one's strategy and a seeded sampler of the same
examples for the side-by-side run, where Hypothesis cannot score each example alone.
"""

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from scoring.engine.model import LIKE, MENTION, REPLY, SHARE, Params, Scores, Signals, Standing
from tests.scoring.engine.demo_signals import demo_signals
from tests.scoring.engine.support import World

Job = Signals | tuple[Signals, Standing]
Property = Generator[list[Job], list[Scores], None]


def fan_world(fans=20, age=5.0):
    world = World()
    star = world.handle()
    for fan in world.people(fans):
        world.engage(fan, star, age=age)
    return world, star


# 1. Window -----------------------------------------------------------------------------------


def only_the_window_counts(params: Params) -> Property:
    inside, _ = fan_world(age=89.0)
    outside, _ = fan_world(age=90.0)

    scored = yield [inside.signals(), outside.signals()]

    assert scored[0].score[0] > 1.0
    assert scored[1].score[0] == 1.0


def recent_engagement_weighs_more(params: Params) -> Property:
    recent, older = fan_world(age=2.0)[0], fan_world(age=40.0)[0]

    scored = yield [recent.signals(), older.signals()]

    assert scored[0].score[0] > scored[1].score[0]


def a_person_who_stops_posting_fades_a_little_each_day_never_in_a_cliff(params: Params) -> Property:
    world = World()
    star = world.handle()
    fans = world.people(300)
    for day, fan in enumerate(fans):
        world.engage(fan, star, age=day % 60)

    scored = yield [world.signals(shift_days=day) for day in range(0, 160)]

    daily = [scores.score[0] for scores in scored]
    drops = -np.diff(daily)
    assert (drops >= 0).all()
    assert drops.max() < 3.0  # points a day
    assert (drops[:85] > 0).all()  # losing a little each day while anything is in the window
    assert daily[-1] == 1.0


# 2. Engagement, not audience -----------------------------------------------------------------


def people_who_never_act_change_nothing(params: Params) -> Property:
    small, star = fan_world()
    crowd, _ = fan_world()
    crowd.people(100_000)  # followers, say, who never engage

    scored = yield [crowd.signals(), small.signals()]

    assert scored[0].score[star] == scored[1].score[star]


# 3. Active is not influential ----------------------------------------------------------------


def one_post_moving_a_thousand_people_beats_a_thousand_posts_moving_one_each(
    params: Params,
) -> Property:
    one_post, many_posts = World(), World()
    for world in (one_post, many_posts):
        world.handle()
        world.people(1000)
    for fan in range(1, 1001):
        one_post.engage(fan, 0, post=0)
        many_posts.engage(fan, 0, post=fan)

    scored = yield [one_post.signals(), many_posts.signals()]

    assert scored[0].score[0] > scored[1].score[0]


def spreading_the_same_engagement_over_more_posts_never_raises_a_score(
    params: Params, posts: list[int], split: int
) -> Property:
    before, after = World(), World()
    for world in (before, after):
        world.handle()
        world.people(len(posts))
    for fan, post in enumerate(posts, start=1):
        before.engage(fan, 0, post=post)
        # the same engagement, with one post's second half moved to a new post
        moved = post == posts[split % len(posts)] and fan % 2 == 0
        after.engage(fan, 0, post=100 if moved else post)

    scored = yield [after.signals(), before.signals()]

    assert scored[0].score[0] <= scored[1].score[0]


# 4. Unique people count ----------------------------------------------------------------------


def a_hundred_people_beat_one_person_a_hundred_times(params: Params) -> Property:
    many, one = World(), World()
    for world in (many, one):
        world.handle()
        world.people(100)
    for fan in range(1, 101):
        many.engage(fan, 0)
    one.engage(1, 0, times=100)

    scored = yield [many.signals(), one.signals()]

    assert scored[0].score[0] > scored[1].score[0]


def one_persons_many_reactions_saturate(params: Params) -> Property:
    def reacting(times):
        world = World()
        world.handle()
        world.engage(world.handle(), 0, times=times)
        return world.signals()

    scored = yield [reacting(1000), reacting(10)]

    assert scored[0].score[0] - scored[1].score[0] < 0.5


# 5. Network ----------------------------------------------------------------------------------


def the_same_engagement_from_an_influential_person_counts_more(params: Params) -> Property:
    world = World()
    influential, ordinary, a, b = world.people(4)
    for fan in world.people(200):
        world.engage(fan, influential)
    world.engage(world.handle(), ordinary)
    world.engage(influential, a)
    world.engage(ordinary, b)

    (scores,) = yield [world.signals()]

    assert scores.score[a] > scores.score[b]


def acting_on_anyones_content_never_lowers_your_score(
    params: Params, edges: list[tuple[int, int]], target: int
) -> Property:
    world = World()
    world.people(9)
    for actor, other in edges:
        world.engage(actor, other, age=3)
    before = world.signals()
    world.engage(8, target, age=3)  # person 8 acts on someone's content

    scored = yield [before, world.signals()]

    assert scored[1].score[8] >= scored[0].score[8]


# 6. Accumulation -----------------------------------------------------------------------------


def joining_another_handle_never_lowers_a_persons_score(
    params: Params, edges: list[tuple[int, int, int]]
) -> Property:
    def world(joined):
        w = World()
        w.handle(person=0, network=0)
        w.handle(person=0 if joined else 1, network=1)
        for _ in range(2, 10):
            w.handle()
        for actor, target, kind in edges:
            if actor != target:
                w.engage(actor, target, kind=kind)
        return w.signals()

    scored = yield [world(joined=True), world(joined=False)]

    assert scored[0].score[0] >= scored[1].score[0]


# 7. Private ----------------------------------------------------------------------------------


def a_private_person_hovers_around_ten_however_active(params: Params) -> Property:
    world = World()
    private = world.handle(hidden=True)
    for fan in world.people(500):
        world.engage(fan, private)
        world.engage(private, fan, kind=REPLY)

    (scores,) = yield [world.signals()]

    assert 8.0 <= scores.score[private] <= 12.0


def granting_access_lets_a_private_persons_engagement_count(params: Params) -> Property:
    hidden, granted = World(), World()
    for world, is_hidden in ((hidden, True), (granted, False)):
        world.handle(hidden=is_hidden)
        for fan in world.people(500):
            world.engage(fan, 0)

    scored = yield [granted.signals(), hidden.signals()]

    assert scored[0].score[0] > 30.0
    assert scored[1].score[0] == 10.0


# 8. Engagement from accounts that look automated is discounted ------------------------------


def engagement_from_automated_looking_accounts_counts_less(params: Params) -> Property:
    world = World()
    genuine_target, botted_target = world.people(2)
    for fan in world.people(30):
        world.engage(fan, genuine_target, kind=MENTION)
    crowd = world.people(100)
    for bot in world.people(30):
        world.engage(bot, botted_target, kind=MENTION)
        for victim in crowd:  # hundreds a day at strangers, who never answer
            world.engage(bot, victim, kind=MENTION, age=1.0, times=70)

    (scores,) = yield [world.signals()]

    assert scores.automation[world.handles[-1][0]] < 0.2
    assert scores.score[genuine_target] > scores.score[botted_target] + 5


# 10. Deterministic ---------------------------------------------------------------------------


def the_same_inputs_give_the_same_outputs_and_name_their_model(params: Params) -> Property:
    world, _ = fan_world()
    for a, b in [(1, 2), (2, 3), (3, 1)]:
        world.engage(a, b)

    first, second = yield [world.signals(), world.signals()]

    assert first.version == params.version
    for name, value in first.as_dict().items():
        if isinstance(value, np.ndarray):
            assert_array_equal(value, getattr(second, name), err_msg=name)
    assert_allclose(first.score, np.round(first.score, 2))


def given_the_standing_it_found_the_engine_scores_everyone_the_same(params: Params) -> Property:
    """Scoring a part of the world (scoring.services.rescore) rests on this."""
    signals, _ = demo_signals(2_000)
    (whole,) = yield [signals]

    (again,) = yield [(signals, whole.standing())]

    assert_array_equal(again.score, whole.score)
    assert_array_equal(again.influencees, whole.influencees)


def a_standing_discounts_only_the_automated_handle_of_a_person(params: Params) -> Property:
    world = World()
    genuine, owner = world.handle(), world.handle()
    bot = world.handle(person=world.handles[owner][0])
    for account in world.people(10):
        world.engage(bot, account, kind=LIKE, times=1500)
    world.engage(owner, genuine)
    (whole,) = yield [world.signals()]

    (again,) = yield [(world.signals(), whole.standing())]

    assert whole.handle_automation[bot] < 0.1 < whole.handle_automation[owner] == 1.0
    assert_array_equal(again.score, whole.score)


# 8 and 9: on the demo world (demo.world), built in memory ------------------------------------


def in_the_demo_world_every_gaming_account_scores_below_the_genuine_one(params: Params) -> Property:
    signals, person = demo_signals(20_000)

    (scores,) = yield [signals]

    genuine = scores.score[person["demo_genuine"]]
    gamers = ["demo_spambot", "demo_bought_followers"] + [f"demo_ring_{i}" for i in range(1, 9)]
    below = {name: scores.score[person[name]] < genuine for name in gamers}
    assert below == dict.fromkeys(gamers, True)


def the_calibration_holds_over_a_hundred_thousand_people(params: Params) -> Property:
    signals, _ = demo_signals(100_000)

    (result,) = yield [signals]

    engaged = result.score[result.reach > 0]
    assert 15.0 <= np.median(engaged) <= 25.0
    assert 59.0 <= np.percentile(engaged, 95) <= 67.0
    assert (result.score > 90).mean() < 0.0005
    assert result.score.max() < 100.0


CONSTRUCTED = [
    only_the_window_counts,
    recent_engagement_weighs_more,
    a_person_who_stops_posting_fades_a_little_each_day_never_in_a_cliff,
    people_who_never_act_change_nothing,
    one_post_moving_a_thousand_people_beats_a_thousand_posts_moving_one_each,
    a_hundred_people_beat_one_person_a_hundred_times,
    one_persons_many_reactions_saturate,
    the_same_engagement_from_an_influential_person_counts_more,
    a_private_person_hovers_around_ten_however_active,
    granting_access_lets_a_private_persons_engagement_count,
    engagement_from_automated_looking_accounts_counts_less,
    the_same_inputs_give_the_same_outputs_and_name_their_model,
    given_the_standing_it_found_the_engine_scores_everyone_the_same,
    a_standing_discounts_only_the_automated_handle_of_a_person,
]
ON_THE_DEMO_WORLD = [
    in_the_demo_world_every_gaming_account_scores_below_the_genuine_one,
    the_calibration_holds_over_a_hundred_thousand_people,
]


@dataclass(frozen=True)
class Explored:
    """A property over examples: Hypothesis's strategy for them, how many it tries, and the
    same examples drawn by a seeded generator."""

    prop: Callable[..., Property]
    strategy: st.SearchStrategy[tuple[Any, ...]]
    examples: int
    sample: Callable[[np.random.Generator], tuple[Any, ...]]

    def seeded(self, count: int, seed: int = 25) -> list[tuple[Any, ...]]:
        rng = np.random.default_rng(seed)
        return [self.sample(rng) for _ in range(count)]


def _pairs(rng: np.random.Generator, most: int, top: int) -> list[tuple[int, int]]:
    return [tuple(pair) for pair in rng.integers(0, top + 1, (rng.integers(most + 1), 2)).tolist()]


def _edges(rng: np.random.Generator, most: int) -> list[tuple[int, int, int]]:
    kinds = rng.choice([SHARE, LIKE], most)
    return [(int(rng.integers(2, 10)), int(rng.integers(10)), int(kinds[n]))
            for n in range(rng.integers(most + 1))]  # fmt: skip


EXPLORED = [
    Explored(
        spreading_the_same_engagement_over_more_posts_never_raises_a_score,
        st.tuples(st.lists(st.integers(0, 5), min_size=2, max_size=40), st.integers(0, 39)),
        40,
        lambda rng: (rng.integers(0, 6, rng.integers(2, 41)).tolist(), int(rng.integers(40))),
    ),
    Explored(
        acting_on_anyones_content_never_lowers_your_score,
        st.tuples(
            st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=30),
            st.integers(0, 7),
        ),
        60,
        lambda rng: (_pairs(rng, 30, 7), int(rng.integers(8))),
    ),
    Explored(
        joining_another_handle_never_lowers_a_persons_score,
        st.tuples(
            st.lists(
                st.tuples(st.integers(2, 9), st.integers(0, 9), st.sampled_from([SHARE, LIKE])),
                max_size=40,
            )
        ),
        60,
        lambda rng: (_edges(rng, 40),),
    ),
]


def run_alone(prop: Property, score: Callable[[Signals, Standing | None], Scores]) -> None:
    """Drive a property, scoring each world it asks for by itself."""
    try:
        jobs = next(prop)
        while True:
            jobs = prop.send([score(*as_pair(job)) for job in jobs])
    except StopIteration:
        return


def as_pair(job: Job) -> tuple[Signals, Standing | None]:
    return job if isinstance(job, tuple) else (job, None)
