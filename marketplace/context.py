"""Template context every page needs."""

from django.http import HttpRequest

from marketplace.notifications import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """The unread count for the navigation, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user=user)}
