"""Pictures people upload (a brand's logo, a campaign's image): checked, shrunk to the size
the pages show, and re-encoded as WebP, so that only pixels are ever served: no metadata (a
photo's GPS position), nothing a browser could mistake for a page. Each is named by its
content, so it can be cached for good."""

import hashlib
import io
from typing import IO, Any, ClassVar, Literal

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.html import format_html
from django.utils.safestring import SafeString
from PIL import Image, ImageOps

from marketplace.errors import ApplicationError

MAX_BYTES = 5 * 1024 * 1024
# A 20-megapixel photo at most (80 MB decoded): a decompression bomb is refused before decoding.
MAX_PIXELS = 20_000_000
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
UNREADABLE = "This is not a JPEG, PNG, GIF or WebP picture we can read."
LOGO_BOX = (256, 256)
BANNER_BOX = (1200, 630)


def picture_from_upload(upload: IO[bytes], *, box: tuple[int, int]) -> ContentFile:
    """The upload as a WebP no larger than `box`, named by its content; ApplicationError,
    saying why, for what is not a picture we take."""
    side = max(box)  # the box either way round, before the picture is turned upright
    try:
        with Image.open(upload, formats=FORMATS) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise ApplicationError("The picture has too many pixels; 20 megapixels at most.")
            opened.draft("RGB", (side, side))  # a JPEG is decoded at a smaller scale
            opened.thumbnail((side, side))  # decoded and shrunk in place
            picture = ImageOps.exif_transpose(opened)  # as the camera was held
            colours = opened.info.get("icc_profile")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ApplicationError(UNREADABLE) from error
    picture.thumbnail(box)
    if picture.mode not in ("RGB", "RGBA"):
        has_alpha = picture.mode in ("LA", "PA") or "transparency" in picture.info
        picture = picture.convert("RGBA" if has_alpha else "RGB")
    encoded = io.BytesIO()
    picture.save(encoded, "WEBP", quality=85, method=4, icc_profile=colours)
    data = encoded.getvalue()
    return ContentFile(data, name=f"{hashlib.sha256(data).hexdigest()[:20]}.webp")


def picture_assign(
    instance: models.Model, field: str, picture: ContentFile | Literal[False] | None
) -> None:
    """Sets the instance's picture field before it is saved: a new picture (its file is
    written now), False for none, None to keep it. The file it replaces is deleted once the
    transaction commits: call it inside one, with the instance read under a lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Outside a transaction the old file would go before the row moves.")
    if picture is None:
        return
    current = getattr(instance, field)
    replaced, storage = current.name, current.storage
    if isinstance(picture, ContentFile):
        current.save(picture.name, picture, save=False)
    else:
        setattr(instance, field, "")
    if replaced and replaced != getattr(instance, field).name:  # the same content: same name
        transaction.on_commit(lambda: storage.delete(replaced), robust=True)


class PictureInput(forms.ClearableFileInput):
    """The current picture itself (not its file name), a box to remove it beside its label,
    and the file chooser, which the field's label names."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chooser = forms.FileInput(self.attrs).render(name, None, attrs, renderer)
        if not self.is_initial(value):
            return chooser
        remove = self.clear_checkbox_name(name)
        return format_html(
            '<span class="picture-now"><img src="{}" alt="The current one" height="48">'
            '<span class="checkbox"><input type="checkbox" name="{}" id="{}">'
            '<label for="{}">Remove it</label></span></span>{}',
            value.url,
            remove,
            self.clear_checkbox_id(remove),
            self.clear_checkbox_id(remove),
            chooser,
        )


class PictureField(forms.ImageField):
    """An optional picture in a form: cleaned to a WebP ContentFile, False when the person
    ticks "Remove it", None when they leave it as it is."""

    widget = PictureInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"})
    default_error_messages: ClassVar = {"invalid_image": UNREADABLE}

    def __init__(self, *, box: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.box = box

    def to_python(self, data: Any) -> Any:
        if isinstance(data, UploadedFile) and (data.size or 0) > MAX_BYTES:
            raise forms.ValidationError(f"The picture is larger than {MAX_BYTES // 2**20} MB.")
        return super().to_python(data)

    def clean(self, data: Any, initial: Any = None) -> ContentFile | Literal[False] | None:
        value = super().clean(data, initial)
        if value is False:
            return False
        if not isinstance(value, UploadedFile):
            return None
        try:
            return picture_from_upload(value, box=self.box)
        except ApplicationError as refused:
            raise forms.ValidationError(refused.message) from refused
