"""Pages every anonymous visitor sees alike, rendered once for each distinct content.

A view that can name what its page shows (the rows it read, as bytes) passes them with a function
that renders the page; signed-in visitors, and anyone with a message waiting, get a page of their
own. Being keyed by content, a stored page is never stale: a change to what the page shows
changes the key. See docs/PERFORMANCE.md, "Profile pages"."""

import hashlib
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache as shared_cache
from django.http import HttpRequest, HttpResponse

# Each stored page expires this long after it was stored, read or not: the bound on how long
# what `_release` does not digest (installed packages, settings) can differ from the page's.
SECONDS_KEPT = 600
logger = logging.getLogger(__name__)


def shared_page(
    request: HttpRequest, content: bytes | None, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """`render()`, or the page it gave for this `content` and address before. None: no sharing."""
    if content is None or request.user.is_authenticated or messages.get_messages(request):
        return render()
    digest = hashlib.blake2b(content, digest_size=20, key=_release())
    # The address with its scheme and host, as a page may name itself (a profile's badge code),
    # but not the query string, which the page does not read.
    digest.update(request.build_absolute_uri(request.path).encode())
    key = f"page:{digest.hexdigest()}"
    try:
        page = shared_cache.get(key)
    except Exception:  # the cache only saves work: without it, every page is rendered
        logger.warning("shared pages: the cache cannot be read", exc_info=True)
        return render()
    if page is not None:
        return HttpResponse(page)
    response = render()
    if response.status_code == 200:
        try:
            shared_cache.set(key, response.content, SECONDS_KEPT)
        except Exception:  # as above
            logger.warning("shared pages: the cache cannot be written", exc_info=True)
    return response


@cache
def _release() -> bytes:
    """A digest of the code and templates that render pages: a shared cache outlives a deploy,
    and a page rendered by other code (other markup, other static file names) must not be served
    by this one."""
    digest = hashlib.blake2b(digest_size=32)
    project = Path(settings.BASE_DIR)
    ours = [Path(app.path) for app in apps.get_app_configs() if Path(app.path).parent == project]
    manifest = getattr(staticfiles_storage, "read_manifest", lambda: None)()  # hashed names
    for path in sorted(p for source in (project / "templates", *ours) for p in source.rglob("*")):
        if path.suffix in {".py", ".html", ".svg"} and path.is_file():
            digest.update(str(path.relative_to(project)).encode())
            digest.update(path.read_bytes())
    if manifest:
        digest.update(manifest.encode())
    return digest.digest()
