"""The public page on how the score is made and how well it predicts: it parses nothing,
reads the kept backtests (one query) and renders."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from scoring.backtest import WINDOW_DAYS
from scoring.engine.versions import LIVE, MODELS
from scoring.models import InteractionKind
from scoring.selectors.backtests import Predictor, comparison, measurements
from scoring.services.backtests import HORIZON_DAYS
from scoring.views.fit_chart import fit_chart, fit_svg

# docs/VALIDITY.md: on MathOverflow's history, the mean of eight cuts from 2012 to 2015.
MATHOVERFLOW = (
    Predictor("v1", 0.341, 0.422, is_model=True),
    Predictor("distinct_engagers", 0.349, 0.416),
    Predictor("engagement_count", 0.349, 0.419),
    Predictor("pagerank", 0.325, 0.353),
)


@require_safe
def score_about(request: HttpRequest) -> HttpResponse:
    history = measurements()
    latest = history[0] if history else None
    params = MODELS[LIVE]
    context = {
        "live": LIVE,
        "params": params,
        "weights": [(InteractionKind(k).label, w) for k, w in params.kind_weights.items()],
        "horizon_days": HORIZON_DAYS,
        "window_days": WINDOW_DAYS,
        "history": history,
        "latest": latest,
        "chart": fit_svg(fit_chart(latest.predictors)) if latest else None,
        "mathoverflow": MATHOVERFLOW,
        "mathoverflow_comparison": comparison(MATHOVERFLOW[0], MATHOVERFLOW[1:], subject="it"),
    }
    return render(request, "scoring/score_about.html", context)
