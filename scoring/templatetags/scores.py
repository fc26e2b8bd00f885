"""How scores read on a page."""

import math

from django import template

register = template.Library()

# Lower bounds, highest first. 20 is the median engaged person, 63 the 95th percentile.
BUCKETS = ((80, "Top voice"), (63, "Influential"), (40, "Established"), (20, "Emerging"))


@register.filter
def bucket(score: float | None) -> str:
    if score is None:
        return "Not scored yet"
    return next((name for bound, name in BUCKETS if score >= bound), "Getting started")


def whole_score(score: float) -> int:
    """A score as people quote it: rounded half up (63.5 reads 64). Perk score bands read
    scores so too (campaigns.selectors)."""
    return math.floor(score + 0.5)


@register.filter
def percent_below(percentile: float) -> int:
    """The share of people a percentile is higher than, never rounded up: 99.98 is 99."""
    return math.floor(percentile)


@register.filter
def whole(score: float | None) -> str:
    """A score as people quote it, or a dash before the first one."""
    return "–" if score is None else str(whole_score(score))
