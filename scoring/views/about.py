"""The public page on how the score is made and how well it predicts: it parses nothing,
reads the kept backtests (one query) and renders."""

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from scoring.backtest import WINDOW_DAYS
from scoring.engine.versions import LIVE, MODELS
from scoring.models import InteractionKind
from scoring.selectors.backtests import (
    Predictor,
    beats_every_count,
    comparison,
    measurements,
)
from scoring.services.backtests import HORIZON_DAYS
from scoring.views.fit_chart import fit_chart, fit_svg

# docs/VALIDITY.md: on MathOverflow's history, the mean of eight cuts from 2012 to 2015, of
# each model version and of the naive counts. The page shows the live version's.
MATHOVERFLOW_MODELS = {
    version: Predictor(version, spearman, top_precision, is_model=True)
    for version, spearman, top_precision in (
        ("v1", 0.341, 0.422),
        ("v2", 0.369, 0.427),
        ("v3", 0.384, 0.442),
    )
}
MATHOVERFLOW_COUNTS = (
    Predictor("distinct_engagers", 0.349, 0.416),
    Predictor("engagement_count", 0.349, 0.419),
    Predictor("pagerank", 0.325, 0.353),
)


@require_safe
def score_about(request: HttpRequest) -> HttpResponse:
    history = measurements()
    latest = history[0] if history else None
    params = MODELS[LIVE]
    mathoverflow = MATHOVERFLOW_MODELS[LIVE]
    selective = math.isfinite(params.selective_targets)
    context = {
        "live": LIVE,
        "params": params,
        "weights": [(InteractionKind(k).label, w) for k, w in params.kind_weights.items()],
        "parts": "four" if params.persistence_weight else "three",
        "selective": selective,
        # What engagement from an account that engaged with ten times as many is worth.
        "selective_tenfold": 0.1**params.selectivity if selective else None,
        "horizon_days": HORIZON_DAYS,
        "window_days": WINDOW_DAYS,
        "history": history,
        "latest": latest,
        "chart": fit_svg(fit_chart(latest.predictors)) if latest else None,
        "mathoverflow": (mathoverflow, *MATHOVERFLOW_COUNTS),
        "mathoverflow_ahead": beats_every_count(mathoverflow, MATHOVERFLOW_COUNTS),
        "mathoverflow_comparison": comparison(mathoverflow, MATHOVERFLOW_COUNTS, subject="it"),
    }
    return render(request, "scoring/score_about.html", context)
