"""What the about page and the API read of the kept backtests (scoring.backtest_records)."""

from dataclasses import dataclass
from datetime import date

from scoring.models import ModelBacktest

HISTORY = 52  # measurements shown: a year of weeks
LABELS = {
    "distinct_engagers": "Distinct engagers",
    "engagement_count": "Engagement count",
    "pagerank": "PageRank",
}


@dataclass(frozen=True)
class Predictor:
    """The Sway score of one model version, or a naive count, and how well it predicted."""

    name: str  # as the backtest names it: the model version, or the naive count
    spearman: float
    top_precision: float
    is_model: bool = False

    @property
    def label(self) -> str:
        return f"Sway score ({self.name})" if self.is_model else LABELS.get(self.name, self.name)


@dataclass(frozen=True)
class Measurement:
    measured_on: date
    cut_day: date
    horizon_days: int
    candidates: int
    model: Predictor
    baselines: tuple[Predictor, ...]

    @property
    def predictors(self) -> tuple[Predictor, ...]:
        return (self.model, *self.baselines)

    @property
    def best_spearman(self) -> Predictor:
        """The naive count that ranked best by Spearman's rho."""
        return max(self.baselines, key=lambda b: b.spearman)

    @property
    def best_top_precision(self) -> Predictor:
        return max(self.baselines, key=lambda b: b.top_precision)


def measurements(*, limit: int = HISTORY) -> list[Measurement]:
    """The latest kept backtests, newest first, in one query."""
    rows = ModelBacktest.objects.order_by("-measured_on", "model_version")[:limit]
    return [
        Measurement(
            measured_on=row.measured_on,
            cut_day=row.cut_day,
            horizon_days=row.horizon_days,
            candidates=row.candidates,
            model=Predictor(row.model_version, row.spearman, row.top_precision, is_model=True),
            baselines=tuple(
                Predictor(b["name"], b["spearman"], b["top_precision"]) for b in row.baselines
            ),
        )
        for row in rows
    ]
