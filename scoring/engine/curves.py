"""The two curves every part of the score goes through."""

import numpy as np
from numpy.typing import NDArray

from scoring.engine.model import Params

Floats = NDArray[np.float64]


def saturate(total: Floats, params: Params) -> Floats:
    """One person's repeated engagement counts for at most one person."""
    return -np.expm1(-total / params.saturation)


def calibrate(raw: Floats, params: Params) -> Floats:
    """The fixed map from raw influence to 1–100 of this model version, never re-ranked day to
    day: no influence is exactly 1, and the curve flattens towards 100 without reaching it."""
    stretched = (np.log1p(raw) / params.calibration_theta) ** params.calibration_kappa
    return np.round(1.0 - 99.0 * np.expm1(-stretched), 2)
