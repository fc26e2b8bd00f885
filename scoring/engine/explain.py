"""Why a score moved since the day before, in numbers: the engine's half of the profile's
explanations (scoring.selectors.explanations puts them in words).

The day's score is compared with two others: the score without the last day's engagement
with the person (so the difference is what the new engagement did) and yesterday's snapshot
(so the rest is older engagement fading, or engagers' influence changing).

The first is found with everyone's engagement worth what it is worth today. Found from the
world without the last day instead, it would also undo what the day's engagement did to the
influence of the people who engage with the person, even when nobody engaged with the person
at all, and call that move new engagement ("+4.2: 0 people engaged with what was posted")."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from scoring.engine.compute import compute
from scoring.engine.model import Params, Scores, Signals, Standing

THRESHOLD = 0.05  # points: smaller moves are not worth a sentence
NEW_DAYS = 1.0  # the engagement called new: that of the last day
Floats = np.ndarray[Any, np.dtype[np.float64]]


def without_new_engagement(
    signals: Signals,
    params: Params,
    scores: Scores,
    score_with: Callable[[Signals, Params, Standing], Scores] = compute,
) -> Floats:
    """Each person's score had nobody engaged with them on the last day, everyone's influence,
    automation discount and selectivity staying as `scores` found them: `scores.score` minus
    this is what the new engagement with the person did, exactly 0 for anyone nobody engaged
    with. Scored by `score_with`, the implementation that found `scores`.

    At a given standing a person's score depends only on the engagement their own handles
    received, so only the people engaged with on the last day are scored again, from the
    older engagement they received alone."""
    older = signals.older_than(NEW_DAYS)
    engaged = np.zeros(signals.people, dtype=bool)
    engaged[signals.handle_person[signals.target[signals.age_days < NEW_DAYS]]] = True
    result = scores.score.copy()
    if engaged.any():
        keep = engaged[older.handle_person[older.target]]
        received = replace(
            older,
            actor=older.actor[keep],
            target=older.target[keep],
            kind=older.kind[keep],
            age_days=older.age_days[keep],
            post=older.post[keep],
            post_topic_post=np.zeros(0, np.int64),  # topics play no part in the score
            post_topic_topic=np.zeros(0, np.int64),
            topics=0,
        )
        result[engaged] = score_with(received, params, scores.standing()).score[engaged]
    return result


@dataclass(frozen=True)
class NewEngagement:
    """For each person, the last day's engagement that counts (not on a private handle they
    have not opened to Sway, nor from their own handles): how many people, on which post
    most, and the most influential of them (-1 where there is none)."""

    people: np.ndarray[Any, np.dtype[np.int64]]
    top_post: np.ndarray[Any, np.dtype[np.int64]]
    top_actor: np.ndarray[Any, np.dtype[np.int64]]  # an actor handle number
    top_actor_score: np.ndarray[Any, np.dtype[np.float64]]


def new_engagement(signals: Signals, scores: Scores) -> NewEngagement:
    """Of the signals, reads only the new engagement (`Signals.newer_than(NEW_DAYS)` is
    enough)."""
    fresh = (signals.age_days < NEW_DAYS) & ~signals.handle_hidden[signals.target]
    target = signals.handle_person[signals.target[fresh]]
    actor_handle = signals.actor[fresh]
    actor = signals.handle_person[actor_handle]
    others = target != actor
    target, actor, actor_handle = target[others], actor[others], actor_handle[others]
    post = signals.post[fresh][others]

    pairs = np.unique(np.stack([target, actor]), axis=1) if len(target) else np.zeros((2, 0), int)
    count = np.bincount(pairs[0], minlength=signals.people)
    top_post = _argmax_per_group(target[post >= 0], post[post >= 0], signals.people)
    top_actor = np.full(signals.people, -1, dtype=np.int64)
    top_actor_score = np.zeros(signals.people)
    if len(target):
        # Among equals, the lowest handle: the same whatever order the rows came in.
        order = np.lexsort((actor_handle, -scores.influence[actor], target))
        first = _first_of_each(target[order])
        top_actor[target[order][first]] = actor_handle[order][first]
        top_actor_score[target[order][first]] = scores.score[actor[order][first]]
    return NewEngagement(count.astype(np.int64), top_post, top_actor, top_actor_score)


def _first_of_each(sorted_groups: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]


def _argmax_per_group(
    group: np.ndarray[Any, Any], value: np.ndarray[Any, Any], groups: int
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """For each group, its most frequent value (-1 for an empty group)."""
    result = np.full(groups, -1, dtype=np.int64)
    if len(group):
        keys, counts = np.unique(np.stack([group, value]), axis=1, return_counts=True)
        order = np.lexsort((-counts, keys[0]))
        first = _first_of_each(keys[0][order])
        result[keys[0][order][first]] = keys[1][order][first]
    return result


@dataclass(frozen=True)
class Moves:
    """Each person's move split in two: what the last day's engagement did, and the rest (older
    engagement fading, engagers' influence changing); `worth_saying`: the people either moved
    by at least THRESHOLD."""

    new_points: Floats
    old_points: Floats
    worth_saying: np.ndarray[Any, np.dtype[np.int64]]


def moves(scores: Scores, without_new: Floats, fresh: NewEngagement, previous: Floats) -> Moves:
    """`without_new`: see `without_new_engagement`; `previous`: each person's score the day
    before (NaN where there is none)."""
    new_points = np.where(fresh.people > 0, scores.score - without_new, 0.0)
    old_points = np.nan_to_num(scores.score - new_points - previous, nan=0.0)
    worth_saying = np.flatnonzero(
        (np.abs(new_points) >= THRESHOLD) | (np.abs(old_points) >= THRESHOLD)
    )
    return Moves(new_points, old_points, worth_saying)
