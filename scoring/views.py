"""People's public pages: search, profile, badge. Each view parses, calls a selector, renders."""

import hashlib

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from marketplace.http import HtmxHttpRequest
from marketplace.shared_pages import shared_page
from marketplace.text import single_line
from scoring import profile_selectors, selectors
from scoring.charts import history_chart, history_svg
from scoring.handle_query import UnknownAddress, WordQuery, parse
from scoring.models import Network
from scoring.templatetags.scores import whole

RESULTS_PER_PAGE = 20
BADGE_MAX_AGE = 3600  # seconds: scores change once a day


@require_safe
@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    context: dict[str, object] = {"q": text}
    try:
        query = parse(text)
    except UnknownAddress as error:
        query, context["error"] = None, str(error)
    if query is not None:
        page = Paginator(selectors.people_search(query=query), RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        people = list(page)
        prefetch_related_objects(people, "handles")  # each result names its handles
        context |= {"page": page, "results": selectors.people_with_topics(people)}
        if not people and isinstance(query, WordQuery):
            context["suggestions"] = selectors.handles_like(word=query.word)
    template = "scoring/search.html#results" if request.htmx else "scoring/search.html"
    return render(request, template, context)


@require_safe
def profile(request: HttpRequest, public_id: str) -> HttpResponse:
    row = profile_selectors.profile_row(public_id=public_id)
    if row is None:
        raise Http404("No such person")
    return shared_page(request, row.content, lambda: _render_profile(request, row.parse()))


def _render_profile(request: HttpRequest, found: profile_selectors.Profile) -> HttpResponse:
    chart = history_chart(found.history, end=found.day, days=profile_selectors.HISTORY_DAYS)
    owner_id = found.person.owner_id
    context = {
        "profile": found,
        "chart": history_svg(chart),
        "viewer_owns": owner_id is not None and owner_id == request.user.pk,
    }
    return render(request, "scoring/profile.html", context)


@require_safe
def profile_by_handle(request: HttpRequest, network: str, username: str) -> HttpResponse:
    public_id = (
        selectors.public_id_of_handle(network=network, username=username)
        if network in Network.values
        else None
    )
    if public_id is None:
        raise Http404("No such handle")
    return redirect("scoring:profile", public_id=public_id)


@require_safe
def badge(request: HttpRequest, public_id: str) -> HttpResponse:
    person = selectors.badge_of(public_id=public_id)
    if person is None:
        raise Http404("No such person")
    score = whole(person.score)
    etag = '"' + hashlib.sha256(f"{person}\n{score}".encode()).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag) or render(
        request,
        "scoring/badge.svg",
        {"name": single_line(str(person)), "score": score},
        content_type="image/svg+xml; charset=utf-8",
    )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=BADGE_MAX_AGE)
    return response
