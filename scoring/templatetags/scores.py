"""How scores read on a page."""

from django import template

register = template.Library()

# Lower bounds, highest first. 20 is the median engaged person, 63 the 95th percentile.
BUCKETS = ((80, "Top voice"), (63, "Influential"), (40, "Established"), (20, "Emerging"))


@register.filter
def bucket(score: float | None) -> str:
    if score is None:
        return "Not scored yet"
    return next((name for bound, name in BUCKETS if score >= bound), "Getting started")


@register.filter
def whole(score: float | None) -> str:
    """A score as people quote it: a whole number, or a dash before the first one."""
    return "–" if score is None else f"{score:.0f}"
