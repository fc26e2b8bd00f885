"""The topic pages: the index by area and a topic with its leaderboard."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from scoring.selectors.topics import public_topic, topic_areas, topic_page

PEOPLE_PER_PAGE = 25


@require_safe
def topics(request: HttpRequest) -> HttpResponse:
    areas = topic_areas()
    # Klout's licence (CC BY) asks for attribution wherever its topics are shown.
    from_klout = any(area.klout_id for area in areas)
    return render(request, "scoring/topics.html", {"areas": areas, "from_klout": from_klout})


@require_safe
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    found = public_topic(slug=slug)
    if found is None:
        raise Http404("No such topic")
    if found.slug != slug:
        return redirect("scoring:topic", slug=found.slug, permanent=True)
    page = topic_page(topic=found)
    people = Paginator(page.leaderboard, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "scoring/topic.html", {"about": page, "page": people})
