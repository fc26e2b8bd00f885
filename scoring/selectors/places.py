"""The places people give, as a brand targeting a city is offered them."""

from collections.abc import Iterable

from django.db.models import Count
from django.db.models.functions import Lower

from scoring.selectors.people import visible_people

PLACES_OFFERED = 8
LONGEST_PLACE = 100


def places_like(*, text: str, limit: int = PLACES_OFFERED) -> list[str]:
    """The places that visible people give most often among those starting with `text`, as
    they write them; the most common first."""
    text = text.strip()[:LONGEST_PLACE]
    if not text:
        return []
    people = visible_people().exclude(place="").filter(place__istartswith=text)
    counted = people.values("place").annotate(people=Count("pk")).order_by("-people", "place")
    return list(counted.values_list("place", flat=True)[:limit])


def places_given(*, names: Iterable[str]) -> set[str]:
    """Those of `names` (in lower case) that some visible person gives as their place,
    whatever its case."""
    wanted = {name.strip().lower() for name in names if name.strip()}
    if not wanted:
        return set()
    people = visible_people().annotate(lower_place=Lower("place"))
    given = people.filter(lower_place__in=wanted).values_list("lower_place", flat=True)
    return set(given.distinct())
