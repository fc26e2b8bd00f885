"""The home page: for visitors, what Sway is; for someone signed in, their score, topics and
the perks they qualify for, their brands, or the next step to get them. The one page of
marketplace that reads both apps, through their selectors (docs/ARCHITECTURE.md, "Which way
imports point")."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from campaigns.selectors.brands import memberships_of
from campaigns.selectors.perks import offers_of
from marketplace.accounts import is_returning
from marketplace.models import User
from scoring.selectors.people import glance_of


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not isinstance(request.user, User):
        return render(request, "marketplace/home.html")
    glance = glance_of(user=request.user)
    context = {
        "returning": is_returning(request),
        "name": (glance and glance.person.display_name) or request.user.get_full_name(),
        "glance": glance,
        "offers": [] if glance is None else offers_of(person=glance.person),
        "memberships": memberships_of(user=request.user),
    }
    return render(request, "marketplace/home.html", context)
