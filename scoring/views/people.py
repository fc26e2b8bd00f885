"""People's public pages: search, profile, badge. Each view parses, calls a selector, renders."""

import hashlib

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from marketplace.http import HtmxHttpRequest
from marketplace.models import User
from marketplace.shared_pages import shared_page
from marketplace.text import single_line
from scoring.handle_query import UnknownAddress, WordQuery, parse
from scoring.models import Network, Person
from scoring.plus_k import PlusK, plus_k_of
from scoring.selectors.people import (
    badge_of,
    handles_like,
    people_search,
    people_with_topics,
    public_id_of_handle,
)
from scoring.selectors.profiles import HISTORY_DAYS, Profile, profile_row
from scoring.selectors.verification_ways import any_verifiable
from scoring.templatetags.scores import whole
from scoring.views.badges import BadgeCode, badge_code, badge_png
from scoring.views.charts import history_svgs

RESULTS_PER_PAGE = 20
BADGE_MAX_AGE = 3600  # seconds: scores change once a day


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def search(request: HtmxHttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    context: dict[str, object] = {"q": text}
    try:
        query = parse(text)
    except UnknownAddress as error:
        query, context["error"] = None, str(error)
    if query is not None:
        page = Paginator(people_search(query=query), RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        people = list(page)
        prefetch_related_objects(people, "handles")  # each result names its handles
        context |= {"page": page, "results": people_with_topics(people)}
        if not people and isinstance(query, WordQuery):
            context["suggestions"] = handles_like(word=query.word)
    # Going Back, htmx asks for the whole page (search.html says why).
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "scoring/search.html#results" if fragment else "scoring/search.html"
    return render(request, template, context)


@require_safe
def profile(request: HttpRequest, public_id: str) -> HttpResponse:
    row = profile_row(public_id=public_id)
    if row is None:
        raise Http404("No such person")
    return shared_page(request, row.content, lambda: _render_profile(request, row.parse()))


def _render_profile(request: HttpRequest, found: Profile) -> HttpResponse:
    person = found.person
    context = {
        "profile": found,
        "chart": history_svgs(found.history, end=found.day, days=HISTORY_DAYS),
        "viewer_owns": person.owner_id is not None and person.owner_id == request.user.pk,
        "plus_k": _plus_k_of_viewer(request, person),
        # The ways depend on the site's keys alone, not on the visitor; like settings, they are
        # not in a shared page's key, and a change shows within SECONDS_KEPT (shared_pages).
        "can_verify": person.owner_id is None and any_verifiable(request, found.handles),
    }
    if person.score is not None:
        context["badge"] = _badge_code(request, person)
    return render(request, "scoring/profile.html", context)


def _badge_code(request: HttpRequest, person: Person) -> BadgeCode:
    def address(view: str) -> str:
        return request.build_absolute_uri(reverse(view, args=[person.public_id]))

    return badge_code(
        name=single_line(str(person)),
        score=whole(person.score),
        page_url=address("scoring:profile"),
        image_url=address("scoring:badge"),
        preview_url=address("scoring:badge-png"),
    )


def _plus_k_of_viewer(request: HttpRequest, person: Person) -> PlusK | None:
    """What the viewer may give the person in +K: only for someone signed in, whose page is
    their own, never a shared one (marketplace.shared_pages); None on their own profile."""
    user = request.user
    if not isinstance(user, User) or person.owner_id == user.pk:
        return None
    return plus_k_of(user=user, receiver=person)


@require_safe
def profile_by_handle(request: HttpRequest, network: str, username: str) -> HttpResponse:
    public_id = (
        public_id_of_handle(network=network, username=username)
        if network in Network.values
        else None
    )
    if public_id is None:
        raise Http404("No such handle")
    return redirect("scoring:profile", public_id=public_id)


@require_safe
def badge(request: HttpRequest, public_id: str, image: str = "svg") -> HttpResponse:
    """The badge as SVG, or as PNG (`image`) for link previews, which seldom draw SVG."""
    person = badge_of(public_id=public_id)
    if person is None:
        raise Http404("No such person")
    score = whole(person.score)
    etag = '"' + hashlib.sha256(f"{person}\n{score}".encode()).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag) or _badge_image(
        request, image, single_line(str(person)), score
    )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=BADGE_MAX_AGE)
    return response


def _badge_image(request: HttpRequest, image: str, name: str, score: str) -> HttpResponse:
    if image == "png":
        return HttpResponse(badge_png(name=name, score=score), content_type="image/png")
    return render(
        request,
        "scoring/badge.svg",
        {"name": name, "score": score},
        content_type="image/svg+xml; charset=utf-8",
    )
