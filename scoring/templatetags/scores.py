"""How scores read on a page."""

import math
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from scoring.selectors.explanations import engager_words
from scoring.selectors.score_text import whole_score

register = template.Library()

# Lower bounds, highest first. 20 is the median engaged person, 63 the 95th percentile.
BUCKETS = ((80, "Top voice"), (63, "Influential"), (40, "Established"), (20, "Emerging"))


@register.filter
def bucket(score: float | None) -> str:
    if score is None:
        return "Not scored yet"
    return next((name for bound, name in BUCKETS if score >= bound), "Getting started")


@register.filter
def percent_below(percentile: float) -> int:
    """The share of people a percentile is higher than, never rounded up: 99.98 is 99."""
    return math.floor(percentile)


@register.filter
def standing(percentile: float, lowest_of: str = "") -> SafeString:
    """Where a percentile puts someone, in words: the share of people below them, the figure
    emphasised; or, where that share is under 1 %, that they are among the lowest (of
    `lowest_of`), which is true where "higher than 0 %" reads as a verdict."""
    share = percent_below(percentile)
    if share > 0:
        return format_html("Higher than <strong>{} %</strong> of people", share)
    return format_html("Among the <strong>lowest</strong>{}", f" {lowest_of}" if lowest_of else "")


@register.filter
def reason_text(reason: dict[str, Any]) -> str:
    """A reason the score moved (scoring.selectors.explanations) in words, the most influential
    of the people who engaged linked to their profile where the reason names them."""
    text = str(reason.get("text", ""))
    engager = reason.get("engager")
    if not isinstance(engager, dict):
        return text
    named = engager_words(engager["username"], engager["score"])
    try:
        address = reverse(
            "scoring:profile-by-handle", args=[engager["network"], engager["username"]]
        )
    except NoReverseMatch:  # a username no address can hold
        return text
    if not text.endswith(named):  # not the reason explain wrote
        return text
    return format_html(
        '{}, among them <a href="{}">@{}</a> (score {})',
        text.removesuffix(named),
        address,
        engager["username"],
        engager["score"],
    )


@register.filter
def whole(score: float | None) -> str:
    """A score as people quote it, or a dash before the first one."""
    return "–" if score is None else str(whole_score(score))
