"""The model versions. A version's parameters never change once it has scored anyone: a new
idea is a new version, run in shadow beside the live one until someone switches it on."""

from scoring.engine.model import Params

MODELS: dict[str, Params] = {
    "v1": Params(version="v1"),
    # Candidate: recent engagement matters more (three-week half-life instead of a month).
    "v2": Params(version="v2", half_life_days=21.0),
}
LIVE = "v1"
