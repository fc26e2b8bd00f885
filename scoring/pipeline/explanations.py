"""The explanations a live run keeps with each person's score: its parts and who and what
contributed most (details), and why it moved since the day before (reasons)."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scoring.engine.explain import Floats, new_engagement
from scoring.engine.model import Scores
from scoring.engine.ranking import percentiles
from scoring.pipeline.extract import NETWORKS, Extract
from scoring.score_parts import PERSISTENCE, score_parts
from scoring.selectors.explanations import reasons

SLICE_PEOPLE = 50_000


def day_reasons(
    *, day: date, scores: Scores, extract: Extract, without_new: Floats
) -> dict[int, list[dict[str, Any]]]:
    """Person id → why their score moved since the day before, in words; `without_new`: each
    person's score had nobody engaged with them on the last day
    (scoring.engine.explain.without_new_engagement)."""
    return reasons(
        day=day,
        scores=scores,
        without_new=without_new,
        fresh=new_engagement(extract.signals, scores),
        person_ids=extract.person_ids,
        post_ids=extract.post_ids,
        handle_ids=extract.handle_ids,
    )


@dataclass(frozen=True)
class _Everyone:
    """What each slice's explanations take from everyone's scores."""

    rounded: dict[str, NDArray]  # each part shown, rounded as the snapshots keep it
    standings: dict[str, NDArray]  # … its percentile among everyone scored
    automated: dict[int, list[tuple[int, float]]]  # person → handles whose engagement is discounted
    selective: dict[int, list[tuple[int, float]]]  # … and those that engage with very many


def details(scores: Scores, extract: Extract) -> Iterator[dict[str, Any]]:
    """Each person's score explained: its parts (score_parts: persistence only from the
    versions that count it) and who and what contributed most. Made SLICE_PEOPLE people at a
    time, so that only a slice's lists and dictionaries are held at once."""
    rounded = {part: getattr(scores, part).round(3) for part in score_parts(scores.version)}
    everyone = _Everyone(
        rounded=rounded,
        # Each part's standing, as the score's own percentile is: from the rounded figures the
        # snapshots keep, so that a rescore (scoring.services.rescore) ranks alike.
        standings={part: percentiles(figure) for part, figure in rounded.items()},
        automated=_discounted_handles(scores.handle_automation, extract),
        selective=_discounted_handles(scores.handle_selectivity, extract),
    )
    for start in range(0, len(scores.score), SLICE_PEOPLE):
        yield from _explained(scores, extract, slice(start, start + SLICE_PEOPLE), everyone)


def _explained(
    scores: Scores, extract: Extract, people: slice, everyone: _Everyone
) -> Iterator[dict[str, Any]]:
    """The slice's people explained. Columns become lists first, so that no NumPy scalar is
    made a person."""
    person_ids, post_ids = extract.person_ids, extract.post_ids

    def ranked(ids: np.ndarray[Any, Any], items: str, weights: str) -> Iterator[Any]:
        """Each row's (id, weight) pairs: the slice's pairs made at once, then cut per row
        (the -1 padding is at the end of a row)."""
        columns, values = getattr(scores, items)[people], getattr(scores, weights)[people]
        known = columns >= 0
        pairs = list(
            zip(ids[columns[known]].tolist(), values[known].round(3).tolist(), strict=True)
        )
        ends = np.cumsum(known.sum(axis=1)).tolist()
        starts = [0, *ends][:-1]
        return (pairs[start:end] for start, end in zip(starts, ends, strict=True))

    rounded, shown = everyone.rounded, list(everyone.rounded)
    # None where the version does not count persistence, whose key is then left out.
    persistence = (
        rounded[PERSISTENCE][people].tolist()
        if PERSISTENCE in rounded
        else [None] * len(scores.score[people])
    )
    for person, (
        reach,
        amplification,
        network,
        held,
        raw,
        parts,
        contributors,
        influencers,
        influencees,
        posts,
        topics,
        influence,
        standing,
    ) in enumerate(
        zip(
            rounded["reach"][people].tolist(),
            rounded["amplification"][people].tolist(),
            rounded["network"][people].tolist(),
            persistence,
            scores.raw[people].round(4).tolist(),
            scores.network_raw[people].round(4).tolist(),
            ranked(person_ids, "top_contributors", "top_contributions"),
            ranked(person_ids, "influencers", "influencer_weights"),
            ranked(person_ids, "influencees", "influencee_weights"),
            ranked(post_ids, "top_posts", "top_post_engagement"),
            ranked(extract.topic_ids, "top_topics", "topic_scores"),
            scores.influence[people].round(6).tolist(),
            zip(*(everyone.standings[part][people].tolist() for part in shown), strict=True),
            strict=True,
        ),
        people.start,
    ):
        explained = {
            "model": scores.version,
            "reach": reach,
            "amplification": amplification,
            "network": network,
            "percentiles": dict(zip(shown, standing, strict=True)),
            "raw": raw,
            "networks": {NETWORKS[n]: part for n, part in enumerate(parts) if part > 0},
            "contributors": contributors,
            "influencers": influencers,
            "influencees": influencees,
            "posts": posts,
            "topics": topics,
            "influence": influence,
            "automated": everyone.automated.get(person, []),
            "selective": everyone.selective.get(person, []),
        }
        if held is not None:
            explained[PERSISTENCE] = held
        yield explained


def _discounted_handles(worth: NDArray, extract: Extract) -> dict[int, list[tuple[int, float]]]:
    """Person number → (handle id, worth) of their handles whose engagement is worth less
    than 1: what scoring a part of the world (scoring.services.rescore) takes from the day's run."""
    by_person: dict[int, list[tuple[int, float]]] = defaultdict(list)
    discounted = np.flatnonzero(worth < 1.0)
    for handle, person, value in zip(
        extract.handle_ids[discounted].tolist(),
        extract.signals.handle_person[discounted].tolist(),
        worth[discounted].round(6).tolist(),
        strict=True,
    ):
        by_person[person].append((handle, value))
    return by_person
