"""Topic influence: the score's reach, amplification, network and (in the versions that
count it) persistence, counted only over the engagement a person's own posts about a topic
received.

Engagement is always on the target's own post (or on no known post, like a mention), so being
mentioned near a topic never counts. A topic is earned: it needs `topic_min_posts` posts about
it that people engaged with, and `topic_min_people` distinct people acting on them.
"""

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from scoring.engine.curves import calibrate, saturate
from scoring.engine.grouping import sorted_unique, unique_inverse
from scoring.engine.model import Params, Signals
from scoring.engine.persistence import persistence
from scoring.engine.ranking import top_per_row

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


def topic_scores(
    signals: Signals,
    params: Params,
    weight: Floats,
    persisting: Floats,
    influence: Floats,
    selectivity: Floats,
    post_engagement: Floats,
) -> tuple[Ints, Floats]:
    """Each person's best `topic_top` topics (-1 fills) and their 1–100 topic scores.

    `weight` is each interaction's weight as the score counts it, `persisting` what it counts
    for in persistence (scoring.engine.persistence), `influence` each person's
    u, `selectivity` each handle's and `post_engagement` each post number's E (distinct
    handles moved, saturated)."""
    topics = max(signals.topics, 1)
    rows, topic = _interactions_by_topic(signals, weight)
    units, unit_of = unique_inverse(signals.target[rows] * topics + topic)
    unit_count = len(units)
    pairs, pair_of = unique_inverse(signals.actor[rows] * unit_count + unit_of)
    pair_actor, pair_unit = np.divmod(pairs, unit_count)
    engaged = saturate(np.bincount(pair_of, weights=weight[rows]), params) * selectivity[pair_actor]
    reach = np.bincount(pair_unit, weights=engaged, minlength=unit_count)
    worth = influence[signals.handle_person[pair_actor]]
    network = np.bincount(pair_unit, weights=engaged * worth, minlength=unit_count)
    amplification, posts = _amplification_by_unit(signals, units, topics, post_engagement)
    raw = (
        params.reach_weight * np.log1p(reach)
        + params.amplification_weight * np.log1p(amplification)
        + params.network_weight * np.log1p(10 * network)
    )
    if params.persistence_weight:
        actor, age = signals.actor[rows], signals.age_days[rows]
        held = persistence(unit_of, actor, age, persisting[rows], unit_count)
        raw += params.persistence_weight * np.log1p(held)

    # From a handle's topic to its person's: raw and posts add up, people are counted once.
    unit_person = signals.handle_person[units // topics]
    person_topic, of_unit = unique_inverse(unit_person * topics + units % topics)
    person_raw = np.bincount(of_unit, weights=raw)
    person_posts = np.bincount(of_unit, weights=posts)
    actor_person = signals.handle_person[pair_actor]
    distinct = sorted_unique(actor_person * len(person_topic) + of_unit[pair_unit])
    people = np.bincount(distinct % len(person_topic), minlength=len(person_topic))
    earned = (people >= params.topic_min_people) & (person_posts >= params.topic_min_posts)

    owner, which = np.divmod(person_topic[earned], topics)
    matrix = sparse.csr_matrix(
        (calibrate(person_raw[earned], params), (owner, which)), shape=(signals.people, topics)
    )
    return top_per_row(matrix, params.topic_top)


def _interactions_by_topic(signals: Signals, weight: Floats) -> tuple[Ints, Ints]:
    """One row per counted interaction on a post and topic of that post: the interaction's
    number and the topic's."""
    posts = int(signals.post.max(initial=-1)) + 1
    inside = signals.post_topic_post < posts
    order = np.argsort(signals.post_topic_post[inside], kind="stable")
    topic_of = signals.post_topic_topic[inside][order]
    counts = np.bincount(signals.post_topic_post[inside], minlength=posts)
    starts = np.cumsum(counts) - counts
    counted = (signals.post >= 0) & (weight > 0) & ~signals.handle_hidden[signals.target]
    number = np.flatnonzero(counted)
    post = signals.post[number]
    repeats = counts[post]
    rows = np.repeat(number, repeats)
    within = np.arange(len(rows)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    return rows, topic_of[np.repeat(starts[post], repeats) + within]


def _amplification_by_unit(
    signals: Signals, units: Ints, topics: int, post_engagement: Floats
) -> tuple[Floats, Floats]:
    """For each (handle, topic) unit: Σ E² / Σ E over its posts about the topic, and how
    many of those posts drew anyone."""
    posts = len(post_engagement)
    author = np.full(posts, -1, dtype=np.int64)
    known = signals.post >= 0
    author[signals.post[known]] = signals.target[known]
    post, topic = signals.post_topic_post, signals.post_topic_topic
    drew = post < posts
    post, topic = post[drew], topic[drew]
    drew = post_engagement[post] > 0
    post, topic = post[drew], topic[drew]
    key = author[post] * topics + topic
    at = np.searchsorted(units, key)
    found = at < len(units)
    found[found] = units[at[found]] == key[found]
    at, energy = at[found], post_engagement[post[found]]
    square = np.bincount(at, weights=energy**2, minlength=len(units))
    total = np.bincount(at, weights=energy, minlength=len(units))
    count = np.bincount(at, minlength=len(units)).astype(np.float64)
    return np.divide(square, total, out=np.zeros(len(units)), where=total > 0), count
