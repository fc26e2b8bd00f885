"""Requests carrying text that no text may hold (a NUL character) are refused before any view
or the database sees them: PostgreSQL cannot store or even compare such a string."""

from collections.abc import Callable, Iterable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

NUL = "\x00"


class UnreadableRequest(BadRequest):
    """A 400 whose message is safe, and useful, to show the client."""


def reject_nul_characters(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if NUL in request.path or _holds_nul(request.GET.lists()):
            raise UnreadableRequest(
                "This address holds a character that no web address may contain."
            )
        if _holds_nul((name, [value]) for name, value in request.COOKIES.items()):
            raise UnreadableRequest("A cookie holds a character that no cookie may contain.")
        return get_response(request)

    return middleware


def _holds_nul(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any(NUL in name or any(NUL in value for value in values) for name, values in pairs)
