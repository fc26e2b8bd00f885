"""Uploaded pictures, served from the storage (marketplace.pictures names them by content, so
a browser or a CDN may keep them for good)."""

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

# What picture_from_upload writes, with the suffix the storage adds to a name already taken.
PICTURE = re.compile(r"(brands|campaigns)/[0-9a-f]{20}(_[A-Za-z0-9]{7})?\.webp")


@require_safe
def picture(request: HttpRequest, path: str) -> FileResponse:
    if not PICTURE.fullmatch(path):
        raise Http404("No such picture")
    try:
        found = default_storage.open(path)
    except FileNotFoundError as error:
        raise Http404("No such picture") from error
    response = FileResponse(found, content_type="image/webp")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
