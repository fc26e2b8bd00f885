"""Addresses from outside become links only when they are web addresses."""

from django import template

from marketplace.text import is_web_address

register = template.Library()


@register.filter
def web_address(address: str) -> str:
    """The address if it may be a link (http or https), else ""."""
    return address if address and is_web_address(address) else ""
