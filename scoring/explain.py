"""Why a score moved since the day before, in words and numbers, for the profile page.

The day's score is compared with two others: the score without the last day's engagement
with the person (so the difference is what the new engagement did) and yesterday's snapshot
(so the rest is older engagement fading, or engagers' influence changing).

The first is found with everyone's engagement worth what it is worth today. Found from the
world without the last day instead, it would also undo what the day's engagement did to the
influence of the people who engage with the person, even when nobody engaged with the person
at all, and call that move new engagement ("+4.2: 0 people engaged with what was posted")."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import batched
from typing import Any

import numpy as np
from django.db.models import Model

from scoring.engine.compute import compute
from scoring.engine.model import Params, Scores, Signals
from scoring.models import Handle, Post, ScoreSnapshot

THRESHOLD = 0.05  # points: smaller moves are not worth a sentence
EXCERPT = 40
CHUNK = 5000  # below SQLite's limit on query parameters
Floats = np.ndarray[Any, np.dtype[np.float64]]


def without_new_engagement(signals: Signals, params: Params, scores: Scores) -> Floats:
    """Each person's score had nobody engaged with them on the last day, everyone's influence,
    automation discount and selectivity staying as `scores` found them: `scores.score` minus
    this is what the new engagement with the person did, exactly 0 for anyone nobody engaged
    with.

    At a given standing a person's score depends only on the engagement their own handles
    received, so only the people engaged with on the last day are scored again, from the
    older engagement they received alone."""
    older = signals.older_than(1.0)
    engaged = np.zeros(signals.people, dtype=bool)
    engaged[signals.handle_person[signals.target[signals.age_days < 1.0]]] = True
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
        result[engaged] = compute(received, params, scores.standing()).score[engaged]
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
    fresh = (signals.age_days < 1.0) & ~signals.handle_hidden[signals.target]
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
        order = np.lexsort((-scores.influence[actor], target))
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


def reasons(
    *,
    day: date,
    scores: Scores,
    without_new: Floats,
    fresh: NewEngagement,
    person_ids: np.ndarray[Any, Any],
    post_ids: np.ndarray[Any, Any],
    handle_ids: np.ndarray[Any, Any],
) -> dict[int, list[dict[str, Any]]]:
    """Person pk → the day's reasons, largest move first. `without_new`: see
    `without_new_engagement`."""
    new_points = np.where(fresh.people > 0, scores.score - without_new, 0.0)
    previous = _scores_of_day(day - timedelta(days=1), scores.version, person_ids)
    old_points = np.nan_to_num(scores.score - new_points - previous, nan=0.0)
    wanted = np.flatnonzero((np.abs(new_points) >= THRESHOLD) | (np.abs(old_points) >= THRESHOLD))
    top_posts = fresh.top_post[wanted]
    top_actors = fresh.top_actor[wanted]
    texts = _column(Post, "text", post_ids[top_posts[top_posts >= 0]])
    actors = _columns(Handle, ("network", "username"), handle_ids[top_actors[top_actors >= 0]])
    explained: dict[int, list[dict[str, Any]]] = {}
    for i, person, post, actor in zip(
        wanted.tolist(), person_ids[wanted].tolist(), top_posts.tolist(), top_actors.tolist(),
        strict=True,
    ):  # fmt: skip
        said = []
        if abs(new_points[i]) >= THRESHOLD:
            post_text = texts.get(int(post_ids[post])) if post >= 0 else None
            named = actors.get(int(handle_ids[actor]), ("", "")) if actor >= 0 else ("", "")
            said.append(_new_reason(new_points[i], fresh, i, post_text, named))
        if abs(old_points[i]) >= THRESHOLD:
            said.append(_old_reason(old_points[i]))
        explained[person] = sorted(said, key=lambda r: -abs(r["points"]))
    return explained


def _scores_of_day(
    day: date, version: str, person_ids: np.ndarray[Any, Any]
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Each person's snapshot score of `day` (NaN where there is none)."""
    rows = np.array(
        ScoreSnapshot.objects.filter(day=day, model_version=version)
        .order_by("person_id")
        .values_list("person_id", "score"),
        dtype=np.float64,
    ).reshape(-1, 2)
    found = rows[:, 0].astype(np.int64)
    scores = np.full(len(person_ids), np.nan)
    known = np.isin(person_ids, found)
    scores[known] = rows[np.searchsorted(found, person_ids[known]), 1]
    return scores


def _column(model: type[Model], field: str, pks: np.ndarray[Any, Any]) -> dict[int, str]:
    """`field` of the rows with these primary keys."""
    return {pk: value for pk, (value,) in _columns(model, (field,), pks).items()}


def _columns(
    model: type[Model], fields: tuple[str, ...], pks: np.ndarray[Any, Any]
) -> dict[int, tuple[str, ...]]:
    """`fields` of the rows with these primary keys."""
    found: dict[int, tuple[str, ...]] = {}
    for chunk in batched(np.unique(pks).tolist(), CHUNK):
        rows = model._default_manager.filter(pk__in=chunk).values_list("pk", *fields)
        found.update((pk, tuple(values)) for pk, *values in rows)
    return found


def _new_reason(
    points: float, fresh: NewEngagement, i: int, post_text: str | None, actor: tuple[str, ...]
) -> dict[str, Any]:
    """`actor`: the network and username of the most influential engager ("" unknown)."""
    people = int(fresh.people[i])
    text = f"{people} {'person' if people == 1 else 'people'} engaged with "
    text += f"the post “{_excerpt(post_text)}”" if post_text is not None else "what was posted"
    network, username = actor
    if not username:
        return {"points": round(float(points), 2), "text": text}
    score = f"{fresh.top_actor_score[i]:.0f}"
    return {
        "points": round(float(points), 2),
        "text": text + engager_words(username, score),
        # for the profile to link them (scores.reason_text)
        "engager": {"network": network, "username": username, "score": score},
    }


def engager_words(username: str, score: str) -> str:
    """How a reason names the most influential of the people who engaged, after the post."""
    return f", among them @{username} (score {score})"


def _old_reason(points: float) -> dict[str, Any]:
    text = (
        "engagement from weeks ago is fading"
        if points < 0
        else "the people who engage grew more influential"
    )
    return {"points": round(float(points), 2), "text": text}


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"
