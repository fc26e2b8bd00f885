"""Who gave +K, as a profile says it."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list

from scoring.selectors.profiles import ProfileTopic

register = template.Library()


@register.filter
def given_by(item: ProfileTopic) -> str:
    """Who gave the topic +K, as in "+K from Bob Stone, Ada Lovelace and 3 others", each
    name a link to their profile; empty when nobody did."""
    names: list[str] = [
        format_html('<a href="{}">{}</a>', reverse("scoring:profile", args=[e.public_id]), e.name)
        for e in item.endorsers
    ]
    others = item.others
    if others:
        if names:
            names.append(f"{others} other{'s' if others > 1 else ''}")
        else:  # all of them opted out
            names.append(f"{others} {'people' if others > 1 else 'person'}")
    if not names:
        return ""
    # Each part is escaped above or made of numbers.
    return format_html("+K from {}", mark_safe(get_text_list(names, "and")))  # noqa: S308
