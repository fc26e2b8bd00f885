"""Request types the views annotate with."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from marketplace.models import User


class HtmxHttpRequest(HttpRequest):
    """A request that passed django-htmx's middleware (every request does)."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    """A request to a view behind @login_required."""

    user: User
