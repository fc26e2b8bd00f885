"""How well a prediction of influence ranks people against what happened next (a backtest),
and the naive predictors a score must beat. Arrays in, numbers out.

The truth is the number of distinct people who engaged with each person over the horizon
after the cut day; predictions are made from the window before it. Only people who drew any
engagement in the window are ranked (the candidates)."""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse, stats

from scoring.engine.grouping import sorted_unique
from scoring.engine.model import Signals

Floats = NDArray[np.float64]
TOP_SHARE = 0.01
PAGERANK_DAMPING = 0.85
PAGERANK_TOLERANCE = 1e-10
PAGERANK_ITERATIONS = 200


@dataclass(frozen=True)
class Fit:
    """How well one predictor ranked the candidates of one cut."""

    spearman: float  # Spearman's rho between prediction and truth
    top_precision: float  # share of the predicted top 1 % that is in the true top 1 %

    def as_dict(self) -> dict[str, float]:
        return {"spearman": round(self.spearman, 4), "top_precision": round(self.top_precision, 4)}


def engagements(signals: Signals) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Engaging person and engaged person of each interaction that is engagement: between
    two different people, on a handle that is not hidden."""
    actor = signals.handle_person[signals.actor]
    target = signals.handle_person[signals.target]
    counted = (actor != target) & ~signals.handle_hidden[signals.target]
    return actor[counted], target[counted]


def distinct_engagers(signals: Signals) -> Floats:
    """Per person: how many different people engaged with them (the truth, and a baseline)."""
    actor, target = engagements(signals)
    pairs = sorted_unique(target * signals.people + actor)
    return np.bincount(pairs // signals.people, minlength=signals.people).astype(np.float64)


def engagement_count(signals: Signals) -> Floats:
    """Per person: how many engagements they drew, however many from one person."""
    _, target = engagements(signals)
    return np.bincount(target, minlength=signals.people).astype(np.float64)


def pagerank(signals: Signals) -> Floats:
    """PageRank on the people's engagement graph (an edge from each engager to each person
    they engaged with), with dangling people's rank spread evenly."""
    actor, target = engagements(signals)
    people = signals.people
    if people == 0:
        return np.zeros(0)
    edges = sparse.csr_matrix((np.ones(len(actor)), (actor, target)), shape=(people, people))
    edges.data[:] = 1.0  # one edge a pair, however often
    out = np.asarray(edges.sum(axis=1)).ravel()
    inbound = edges.T.tocsr()
    dangling = out == 0
    rank = np.full(people, 1.0 / people)
    for _ in range(PAGERANK_ITERATIONS):
        spread = inbound @ np.divide(rank, out, out=np.zeros(people), where=~dangling)
        updated = (1.0 - PAGERANK_DAMPING) / people + PAGERANK_DAMPING * (
            spread + rank[dangling].sum() / people
        )
        done = np.abs(updated - rank).sum() < PAGERANK_TOLERANCE
        rank = updated
        if done:
            break
    return rank


def fit(prediction: Floats, truth: Floats) -> Fit:
    """Spearman's rho and top-1 % precision of `prediction` against `truth` (same people)."""
    if len(truth) < 2 or np.ptp(truth) == 0 or np.ptp(prediction) == 0:
        return Fit(spearman=0.0, top_precision=_top_precision(prediction, truth))
    rho = float(stats.spearmanr(prediction, truth).statistic)
    return Fit(spearman=rho, top_precision=_top_precision(prediction, truth))


def _top_precision(prediction: Floats, truth: Floats) -> float:
    """The expected share of the predicted top 1 % that is in the true top 1 %, with ties at
    either edge broken at random: a predictor gets no credit for the order it lists ties in."""
    if len(truth) == 0:
        return 0.0
    size = max(1, round(len(truth) * TOP_SHARE))
    return float(_inclusion(prediction, size) @ _inclusion(truth, size)) / size


def _inclusion(values: Floats, size: int) -> Floats:
    """The chance that each item is among the `size` largest, ties broken at random."""
    edge = np.partition(values, len(values) - size)[len(values) - size]
    above = values > edge
    tied = values == edge
    chance = above.astype(np.float64)
    chance[tied] = (size - above.sum()) / tied.sum()
    return chance
