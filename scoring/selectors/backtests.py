"""What the about page and the API read of the kept backtests (scoring.services.backtests)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from scoring.models import ModelBacktest

HISTORY = 52  # measurements shown: a year of weeks
LABELS = {
    "distinct_engagers": "Distinct engagers",
    "engagement_count": "Engagement count",
    "pagerank": "PageRank",
}
NAMED = {
    "distinct_engagers": "the count of distinct engagers",
    "engagement_count": "the engagement count",
    "pagerank": "PageRank",
}
MEASURES = (("spearman", "Spearman's rho"), ("top_precision", "top-1\u00a0% precision"))


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

    @property
    def named(self) -> str:
        """The predictor as a sentence names it."""
        return NAMED.get(self.name, self.label)


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

    @property
    def comparison(self) -> str:
        """How the live model ranked beside the naive counts, in words and figures."""
        return comparison(self.model, self.baselines, subject="the score")


def comparison(model: Predictor, baselines: Sequence[Predictor], *, subject: str) -> str:
    """How `model` ranked beside the naive counts, in words and figures, measure by measure:
    "By Spearman's rho, the score (0.259) ranked below the engagement count (0.501) …"."""
    if beats_every_count(model, baselines):
        said = f"{subject} ranked better than every naive count on both measures."
        return said[:1].upper() + said[1:]
    return " ".join(
        _compared(model, baselines, measure, words, subject if n == 0 else "it")
        for n, (measure, words) in enumerate(MEASURES)
    )


def beats_every_count(model: Predictor, baselines: Sequence[Predictor]) -> bool:
    """Whether `model` ranked above every naive count on both measures."""
    # The figures as shown, to three places: 0.4831 and 0.4829 are level.
    return all(_figure(model, m) > _figure(b, m) for b in baselines for m, _ in MEASURES)


def _compared(
    model: Predictor, baselines: Sequence[Predictor], measure: str, words: str, subject: str
) -> str:
    mine = _figure(model, measure)
    ranked = sorted(baselines, key=lambda b: -_figure(b, measure))

    def named(beside: Callable[[float], bool]) -> list[str]:
        return [
            f"{b.named} ({_figure(b, measure):.3f})" for b in ranked if beside(_figure(b, measure))
        ]

    below, level, above = named(mine.__lt__), named(mine.__eq__), named(mine.__gt__)
    if len(ranked) > 1 and not level and not (below and above):
        said = [f"{'below' if below else 'above'} every naive count"]
    else:
        places = (("below", below), ("level with", level), ("above", above))
        said = [f"{place} {_and(names)}" for place, names in places if names]
    return f"By {words}, {subject} ({mine:.3f}) ranked {_and(said, comma=True)}."


def _figure(predictor: Predictor, measure: str) -> float:
    return round(float(getattr(predictor, measure)), 3)


def _and(items: list[str], *, comma: bool = False) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + ("," if comma else "") + " and " + items[-1]


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
