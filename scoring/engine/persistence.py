"""Persistence: on how many days people engaged with someone, never counting more days than
people.

Whether others keep engaging with a person day after day says more about whom they will
engage with next than how many did at once (docs/VALIDITY.md). Only engagement received counts,
so posting or acting more without drawing anyone never raises it; each day counts once however
many engaged on it, and the days are capped by the engagers, so one person reacting every day
counts as one, not ninety."""

import numpy as np
from numpy.typing import NDArray

from scoring.engine.grouping import unique_inverse

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


def persistence(unit: Ints, actor: Ints, age_days: Floats, worth: Floats, units: int) -> Floats:
    """Per unit (a handle, or a handle's topic): min(days, engagers), where each day on which
    anyone engaged with the unit and each handle that did count by their best `worth` (0–1:
    the engagement's fade and automation discount; 0 for engagement that does not count)."""
    used = worth > 0
    unit, actor, worth = unit[used], actor[used], worth[used]
    day = np.floor(age_days[used]).astype(np.int64)
    days = _best_per_key(unit, day, int(day.max(initial=0)) + 1, worth, units)
    engagers = _best_per_key(unit, actor, int(actor.max(initial=0)) + 1, worth, units)
    return np.minimum(days, engagers)


def _best_per_key(unit: Ints, key: Ints, keys: int, worth: Floats, units: int) -> Floats:
    """Per unit: the sum over its distinct keys of the best worth each key came with."""
    pairs, inverse = unique_inverse(unit * keys + key)
    best = np.zeros(len(pairs))
    np.maximum.at(best, inverse, worth)
    return np.bincount(pairs // keys, weights=best, minlength=units)
