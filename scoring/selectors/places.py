"""The places people give, as a brand targeting a city is offered them."""

from django.db.models import Count

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
