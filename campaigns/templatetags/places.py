"""How a campaign's places read on a page: its countries by name, not by code."""

from collections.abc import Iterable

from django import template

from campaigns.places import country_name

register = template.Library()


@register.filter
def country_names(codes: Iterable[str]) -> list[str]:
    return [country_name(code) for code in codes]
