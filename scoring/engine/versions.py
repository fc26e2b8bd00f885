"""The model versions. A version's parameters never change once it has scored anyone: a new
idea is a new version, run in shadow beside the live one until someone switches it on.
docs/VALIDITY.md has each version's backtest on real data."""

from types import MappingProxyType

from scoring.engine.model import COMMENT, LIKE, MENTION, REPLY, SHARE, Params

MODELS: dict[str, Params] = {
    "v1": Params(version="v1"),
    # Tuned on the MathOverflow backtest's first six cuts (docs/VALIDITY.md): the last week
    # counts most and older engagement keeps a long tail (hyperbolic decay); engagement from
    # people who engage with many others counts less (selectivity); replies count half as
    # much; amplification is measured on known posts only (a busy day is not a viral post).
    "v2": Params(
        version="v2",
        decay="hyperbolic",
        half_life_days=5.0,
        kind_weights=MappingProxyType(
            {SHARE: 1.0, REPLY: 0.4, COMMENT: 0.8, MENTION: 0.5, LIKE: 0.3}
        ),
        saturation=0.3,
        selective_targets=10.0,
        selectivity=0.75,
        amplify_unknown_posts=False,
        network_weight=0.5,
        calibration_theta=1.95,  # fitted on the demo world as v1's were
        calibration_kappa=1.45,
    ),
}
LIVE = "v1"
