"""Request types the views annotate with."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that passed django-htmx's middleware (every request does)."""

    htmx: HtmxDetails
