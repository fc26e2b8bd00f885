"""The parts a score is shown to be made of, by the model version that made it: reach,
amplification and network always, persistence in the versions that count it."""

from scoring.engine.versions import MODELS
from scoring.models import SCORE_PARTS

PERSISTENCE = "persistence"


def score_parts(version: str) -> tuple[str, ...]:
    """An unknown version (a score stored without its model) has the three parts alone."""
    params = MODELS.get(version)
    if params is not None and params.persistence_weight > 0:
        return (*SCORE_PARTS, PERSISTENCE)
    return SCORE_PARTS
