"""Why a score moved since the day before, in words, for the profile page: the moves that
scoring.engine.explain finds, told with the post and the people behind them."""

from datetime import date, timedelta
from itertools import batched
from typing import Any

import numpy as np
from django.db.models import Model

from scoring.engine.explain import THRESHOLD, Floats, NewEngagement, moves
from scoring.engine.model import Scores
from scoring.models import Handle, Post, ScoreSnapshot

EXCERPT = 40
CHUNK = 5000  # below SQLite's limit on query parameters


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
    `scoring.engine.explain.without_new_engagement`."""
    previous = _scores_of_day(day - timedelta(days=1), scores.version, person_ids)
    moved = moves(scores, without_new, fresh, previous)
    new_points, old_points, wanted = moved.new_points, moved.old_points, moved.worth_saying
    top_posts = fresh.top_post[wanted]
    top_actors = fresh.top_actor[wanted]
    texts = _column(Post, "text", post_ids[top_posts[top_posts >= 0]])
    actors = _columns(Handle, ("network", "username"), handle_ids[top_actors[top_actors >= 0]])
    explained: dict[int, list[dict[str, Any]]] = {}
    for i, person, post, actor in zip(
        wanted.tolist(),
        person_ids[wanted].tolist(),
        top_posts.tolist(),
        top_actors.tolist(),
        strict=True,
    ):
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
