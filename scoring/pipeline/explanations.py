"""The explanations a live run keeps with each person's score: its parts and who and what
contributed most (details), and why it moved since the day before (reasons), whose
counterfactual is scored by the run's own compute step."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scoring.engine.explain import new_engagement, without_new_engagement
from scoring.engine.model import Params, Scores
from scoring.engine.ranking import percentiles
from scoring.pipeline.compute import Compute
from scoring.pipeline.extract import NETWORKS, Extract
from scoring.score_parts import PERSISTENCE, score_parts
from scoring.selectors.explanations import reasons


def day_reasons(
    *, day: date, params: Params, scores: Scores, extract: Extract, compute: Compute
) -> dict[int, list[dict[str, Any]]]:
    """Person id → why their score moved since the day before, in words."""
    return reasons(
        day=day,
        scores=scores,
        without_new=without_new_engagement(extract.signals, params, scores, compute),
        fresh=new_engagement(extract.signals, scores),
        person_ids=extract.person_ids,
        post_ids=extract.post_ids,
        handle_ids=extract.handle_ids,
    )


def details(scores: Scores, extract: Extract) -> Iterator[dict[str, Any]]:
    """Each person's score explained: its parts (score_parts: persistence only from the
    versions that count it) and who and what contributed most. Columns become lists first, so
    that no NumPy scalar is made a person."""
    person_ids, post_ids = extract.person_ids, extract.post_ids

    def ranked(ids: np.ndarray[Any, Any], columns: NDArray, weights: NDArray) -> Iterator[Any]:
        """Each row's (id, weight) pairs: all rows' pairs made at once, then sliced per row
        (the -1 padding is at the end of a row)."""
        known = columns >= 0
        pairs = list(
            zip(ids[columns[known]].tolist(), weights[known].round(3).tolist(), strict=True)
        )
        ends = np.cumsum(known.sum(axis=1)).tolist()
        starts = [0, *ends][:-1]
        return (pairs[start:end] for start, end in zip(starts, ends, strict=True))

    network_parts = scores.network_raw.round(4).tolist()
    shown = score_parts(scores.version)
    rounded = {part: getattr(scores, part).round(3) for part in shown}  # as the snapshots keep
    # Each part's standing among everyone scored, as the score's own percentile is: from the
    # rounded figures the snapshots keep, so that a rescore (scoring.services.rescore) ranks alike.
    standings = zip(*(percentiles(figure).tolist() for figure in rounded.values()), strict=True)
    # None where the version does not count persistence, whose key is then left out.
    persistence = (
        rounded[PERSISTENCE].tolist() if PERSISTENCE in rounded else [None] * len(scores.score)
    )
    automated = _discounted_handles(scores.handle_automation, extract)
    selective = _discounted_handles(scores.handle_selectivity, extract)
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
            rounded["reach"].tolist(),
            rounded["amplification"].tolist(),
            rounded["network"].tolist(),
            persistence,
            scores.raw.round(4).tolist(),
            network_parts,
            ranked(person_ids, scores.top_contributors, scores.top_contributions),
            ranked(person_ids, scores.influencers, scores.influencer_weights),
            ranked(person_ids, scores.influencees, scores.influencee_weights),
            ranked(post_ids, scores.top_posts, scores.top_post_engagement),
            ranked(extract.topic_ids, scores.top_topics, scores.topic_scores),
            scores.influence.round(6).tolist(),
            standings,
            strict=True,
        )
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
            "automated": automated.get(person, []),  # handles whose engagement is discounted
            "selective": selective.get(person, []),  # … and those that engage with very many
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
