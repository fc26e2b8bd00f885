"""The engine's curves on DataFrame columns.

Per-person steps call the engine's own functions (scoring.engine.curves, .ranking) through
Arrow UDFs, so each rule and its rounding live in one place. Saturation runs once per pair of
millions, so it is the same one-line formula as a native column expression instead: a Python
round trip per pair would cost more than the rest of the step."""

import numpy as np
import pyarrow as pa
from pyspark.sql import Column
from pyspark.sql import functions as F

from scoring.engine.curves import calibrate
from scoring.engine.model import Params
from scoring.engine.ranking import percent_of


def saturate(total: Column, params: Params) -> Column:
    """scoring.engine.curves.saturate."""
    return -F.expm1(-total / params.saturation)


def log_mix(reach: Column, amplification: Column, network: Column, params: Params) -> Column:
    """The raw influence of some engagement, as scoring.engine.compute mixes its parts."""
    return (
        params.reach_weight * F.log1p(reach)
        + params.amplification_weight * F.log1p(amplification)
        + params.network_weight * F.log1p(10 * network)
    )


def calibrated(raw: Column, params: Params) -> Column:
    """scoring.engine.curves.calibrate: raw influence on the 1–100 scale."""

    @F.arrow_udf("double")  # type: ignore[call-overload]
    def on_batch(values: pa.Array) -> pa.Array:
        return pa.array(calibrate(values.to_numpy(zero_copy_only=False), params))

    return on_batch(raw)


def percent(below: Column, people: int) -> Column:
    """scoring.engine.ranking.percent_of: how many score lower, as a share of everyone."""

    @F.arrow_udf("double")  # type: ignore[call-overload]
    def on_batch(values: pa.Array) -> pa.Array:
        return pa.array(percent_of(values.to_numpy(zero_copy_only=False).astype(np.int64), people))

    return on_batch(below)
