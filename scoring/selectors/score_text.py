"""How a score reads: the one rule pages, badges and perk score bands share."""

import math


def whole_score(score: float) -> int:
    """A score as people quote it: rounded half up (63.5 reads 64). Perk score bands read
    scores so too (scoring.selectors.targeting, campaigns' tiers)."""
    return math.floor(score + 0.5)
