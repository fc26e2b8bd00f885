"""The home page: for visitors, what Sway is; for someone signed in, their score, topics and
the perks they qualify for, their brands, or the next step to get them. The one page of
marketplace that reads both apps, through their selectors (docs/ARCHITECTURE.md, "Which way
imports point")."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from campaigns import brand_selectors, perk_selectors
from marketplace.accounts import is_returning
from marketplace.models import User
from scoring import selectors


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not isinstance(request.user, User):
        return render(request, "marketplace/home.html")
    glance = selectors.glance_of(user=request.user)
    context = {
        "returning": is_returning(request),
        "name": (glance and glance.person.display_name) or request.user.get_full_name(),
        "glance": glance,
        "offers": [] if glance is None else perk_selectors.offers_of(person=glance.person),
        "memberships": brand_selectors.memberships_of(user=request.user),
    }
    return render(request, "marketplace/home.html", context)
