"""Backtests: how well each model version, and the naive counts it must beat, predicted who
would move people after a day, from what the database holds. Nothing live is written.

For each cut day the models score everyone as the nightly run would have that day (from the
window before it); the truth is the number of distinct people who engaged with each person in
the horizon after it (scoring.engine.validity)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np

from scoring import pipeline
from scoring.engine import validity
from scoring.engine.compute import compute
from scoring.engine.model import Signals
from scoring.engine.versions import MODELS

BASELINES: dict[str, Callable[[Signals], validity.Floats]] = {
    "distinct_engagers": validity.distinct_engagers,
    "engagement_count": validity.engagement_count,
    "pagerank": validity.pagerank,
}
DEFAULT_HORIZON_DAYS = 30
MAX_HORIZON_DAYS = 366
WINDOW_DAYS = 90  # who is ranked (the candidates) and what the baselines count


@dataclass(frozen=True)
class Cut:
    """One cut day: how many people were ranked, and each predictor's fit."""

    as_of: date
    candidates: int
    fits: dict[str, validity.Fit]


@dataclass(frozen=True)
class Backtest:
    horizon_days: int
    models: tuple[str, ...]
    cuts: tuple[Cut, ...]

    @property
    def predictors(self) -> tuple[str, ...]:
        return (*self.models, *BASELINES)

    def mean(self, predictor: str) -> validity.Fit:
        """The predictor's fit averaged over the cuts."""
        fits = [cut.fits[predictor] for cut in self.cuts]
        return validity.Fit(
            spearman=float(np.mean([f.spearman for f in fits])) if fits else 0.0,
            top_precision=float(np.mean([f.top_precision for f in fits])) if fits else 0.0,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "horizon_days": self.horizon_days,
            "models": list(self.models),
            "baselines": list(BASELINES),
            "cuts": [
                {
                    "as_of": cut.as_of.isoformat(),
                    "candidates": cut.candidates,
                    "fits": {name: fit.as_dict() for name, fit in cut.fits.items()},
                }
                for cut in self.cuts
            ],
            "mean": {name: self.mean(name).as_dict() for name in self.predictors},
        }


def backtest(*, cuts: Iterable[date], horizon_days: int, models: Iterable[str]) -> Backtest:
    """Each model version and baseline scored against what happened after each cut day."""
    versions = tuple(models)
    unknown = [version for version in versions if version not in MODELS]
    if unknown:
        raise ValueError(f"unknown model version: {', '.join(unknown)}")
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValueError(f"the horizon must be from 1 to {MAX_HORIZON_DAYS} days")
    days = sorted(set(cuts))
    earliest = date.min + timedelta(
        days=max(WINDOW_DAYS, *(MODELS[v].window_days for v in versions))
    )
    if days and (days[0] < earliest or days[-1] > date.max - timedelta(days=horizon_days)):
        raise ValueError("a cut day's window or horizon runs off the calendar")
    handles = pipeline.scored_handles()
    results = tuple(_cut(day, horizon_days, versions, handles) for day in days)
    return Backtest(horizon_days=horizon_days, models=versions, cuts=results)


def _cut(day: date, horizon_days: int, versions: tuple[str, ...], handles: pipeline.Arrays) -> Cut:
    midnight = datetime.combine(day, time(), tzinfo=UTC)
    before = _signals(handles, midnight - timedelta(days=WINDOW_DAYS), midnight)
    after = _signals(handles, midnight, midnight + timedelta(days=horizon_days))
    predictions = {}
    for version in versions:
        params = MODELS[version]
        window = before
        if params.window_days != WINDOW_DAYS:
            window = _signals(handles, *pipeline.window(day, params))
        predictions[version] = compute(window, params).score
    predictions |= {name: baseline(before) for name, baseline in BASELINES.items()}
    candidates = validity.distinct_engagers(before) > 0
    truth = validity.distinct_engagers(after)[candidates]
    return Cut(
        as_of=day,
        candidates=int(candidates.sum()),
        fits={
            name: validity.fit(prediction[candidates], truth)
            for name, prediction in predictions.items()
        },
    )


def _signals(handles: pipeline.Arrays, start: datetime, end: datetime) -> Signals:
    return pipeline.assemble(end, handles, pipeline.interactions_between(start, end)).signals
