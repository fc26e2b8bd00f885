"""Pages every anonymous visitor sees alike, rendered once for each distinct content.

A view that can name what its page shows (a digest of the rows it read) passes it with a function
that renders the page; signed-in visitors, and anyone with a message waiting, get a page of their
own. Being keyed by content, a stored page is never stale: a change to what the page shows
changes the key. See docs/PERFORMANCE.md, "Profile pages"."""

import hashlib
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache as shared_cache
from django.http import HttpRequest, HttpResponse

SECONDS_KEPT = 600  # unread keys expire; a page's content, not this, decides when it is stale
_APPS = ("marketplace", "scoring", "campaigns")  # whose code renders pages


def shared_page(
    request: HttpRequest, content: bytes | None, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """`render()`, or the page it gave for this `content` and address before. None: no sharing."""
    if content is None or request.user.is_authenticated or messages.get_messages(request):
        return render()
    digest = hashlib.blake2b(content, digest_size=20, key=_release())
    digest.update(request.get_full_path().encode())
    key = f"page:{digest.hexdigest()}"
    page = shared_cache.get(key)
    if page is not None:
        return HttpResponse(page)
    response = render()
    if response.status_code == 200:
        shared_cache.set(key, response.content, SECONDS_KEPT)
    return response


@cache
def _release() -> bytes:
    """A digest of the code and templates that render pages: a shared cache outlives a deploy,
    and a page rendered by other code (other markup, other static file names) must not be served
    by this one."""
    digest = hashlib.blake2b(digest_size=32)
    sources = [settings.BASE_DIR / "templates", *(settings.BASE_DIR / app for app in _APPS)]
    manifest = getattr(staticfiles_storage, "read_manifest", lambda: None)()  # hashed names
    for path in sorted(p for source in sources for p in source.rglob("*") if p.is_file()):
        if path.suffix in {".py", ".html", ".svg"}:
            digest.update(path.read_bytes())
    if manifest:
        digest.update(manifest.encode())
    return digest.digest()
