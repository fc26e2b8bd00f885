"""What the campaign form's pickers suggest while a brand's manager types (htmx fragments):
public topics by name, alias or area, countries by name or code, and the places people give."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.views.decorators.http import require_safe

from campaigns.models import Role
from campaigns.places import countries_like
from campaigns.views.access import member_brand
from campaigns.widgets import UNKNOWN_PLACE
from marketplace.http import AuthenticatedHttpRequest
from marketplace.text import single_line
from scoring.selectors.places import places_given, places_like
from scoring.selectors.topic_picker import areas, topics_found, topics_of_area

OPTIONS = "campaigns/_picker_options.html"


@dataclass(frozen=True)
class Option:
    value: str
    name: str
    area: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} — {self.area}" if self.area else self.name


def _text(request: AuthenticatedHttpRequest, name: str) -> str:
    return single_line(request.GET.get(name, ""))[:100]


@require_safe
@login_required
def topic_options(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """?q=: the topics it names; ?area=: an area's topics; neither: the areas to browse."""
    member_brand(request, slug, Role.MANAGER)
    text, area = _text(request, "q"), request.GET.get("area", "")
    if text:
        found = topics_found(text=text)
    elif area.isascii() and area.isdigit() and len(area) < 19:
        found = topics_of_area(area_id=int(area))
    else:
        return render(request, OPTIONS, {"areas": areas()})
    options = [Option(str(topic.pk), topic.name, topic.area) for topic in found]
    context = {"options": options, "text": text or area, "back": not text}
    return render(request, OPTIONS, {**context, "empty": f"No topic matches “{text}”."})


@require_safe
@login_required
def country_options(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """?q=: the countries it names, by name or code; none: them all, to browse."""
    member_brand(request, slug, Role.MANAGER)
    text = _text(request, "q")
    options = [Option(code, label) for code, label in countries_like(text)]
    context = {"options": options, "text": text, "empty": f"No country matches “{text}”."}
    return render(request, OPTIONS, context)


@require_safe
@login_required
def city_options(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """?q=: the places people give most that start with it. ?place=: the note beside a city
    added as typed, when nobody gives it."""
    member_brand(request, slug, Role.MANAGER)
    if "place" in request.GET:
        place = _text(request, "place").strip()
        given = not place or place.lower() in places_given(names=[place])
        return HttpResponse("" if given else escape(UNKNOWN_PLACE))
    text = _text(request, "q")
    options = [Option(place, place) for place in places_like(text=text)] if text else []
    empty = f"Nobody gives a place starting with “{text}” yet: press Enter to add it as written."
    return render(request, OPTIONS, {"options": options, "text": text, "empty": empty})
