"""The model versions. A version's parameters never change once it has scored anyone: a new
idea is a new version, run in shadow beside the live one until someone switches it on.
docs/VALIDITY.md has each version's backtest on real data."""

from types import MappingProxyType

from scoring.engine.model import COMMENT, LIKE, MENTION, REPLY, SHARE, Params

MODELS: dict[str, Params] = {
    "v1": Params(version="v1"),
    # Tuned on the MathOverflow backtest (docs/VALIDITY.md): engagement from people who
    # engage with everyone counts less, replies less, and amplification barely (a busy day is
    # no sign of more to come); the window's second half fades, so that the steeper
    # calibration still lets a score sink by under 3 points a day.
    "v2": Params(
        version="v2",
        kind_weights=MappingProxyType(
            {SHARE: 1.0, REPLY: 0.4, COMMENT: 0.8, MENTION: 0.5, LIKE: 0.3}
        ),
        fade_days=45.0,
        selective_targets=3.0,
        selectivity=0.5,
        amplification_weight=0.05,
        calibration_theta=1.94,  # fitted on the demo world as v1's were
        calibration_kappa=1.44,
    ),
}
LIVE = "v1"
