"""The site's own pages: how to reach Sway, what it keeps about people, the favicon, and the
friendly error pages Django falls back to (the home page is marketplace.home)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from marketplace.request_text import UnreadableRequest


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/contact.html", {"email": settings.CONTACT_EMAIL})


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/privacy.html")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and link checkers ask for /favicon.ico whatever the page says: the icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


API_PATHS = ("/api/", "/v2/")


def _error_page(request: HttpRequest | None, status: int, title: str, message: str) -> HttpResponse:
    """The error as a page, or in the API's one error shape under the API's paths."""
    if request is not None and request.path.startswith(API_PATHS):
        return JsonResponse({"error": status, "description": message}, status=status)
    context = {"status": status, "title": title, "message": message}
    return render(request, "marketplace/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20
        message = f"The body is over {limit:g} MB, the most a request may carry."
        return _error_page(request, 413, "Too large", message)
    message = "The request could not be read."
    if isinstance(exception, UnreadableRequest):
        message = str(exception)
    return _error_page(request, 400, "Bad request", message)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request, 404, "Page not found", "There is nothing here. The link may be old or mistyped."
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, 403, "Not allowed", "You do not have permission to see this page.")


def too_many_requests(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request, 429, "Slow down", "Too many attempts in a short time. Please wait a minute."
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: its context processors may need the failing database.
    return _error_page(
        None,
        500,
        "Something went wrong",
        "We have been told about it and will look into it. Please try again in a moment.",
    )
