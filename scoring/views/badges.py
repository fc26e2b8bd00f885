"""A person's badge beyond the SVG: the code that shows it on another site, and a PNG of it
for link previews, which seldom draw SVG."""

import html
import io
import re
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

PNG_SIDE = 400  # square, as a summary card shows it; big enough for every preview
PURPLE, WHITE = "#4b3fd1", "#ffffff"
_MARKDOWN_SPECIAL = re.compile(r"([\\\[\]<>])")  # backslash-escaped in Markdown text


@dataclass(frozen=True)
class BadgeCode:
    """What a profile offers for showing its badge elsewhere, every address absolute."""

    page_url: str  # the profile, where the badge leads
    image_url: str  # the SVG badge
    preview_url: str  # the PNG, for link previews
    alt: str  # what the badge says, for those who cannot see it
    html: str
    markdown: str
    preview_side: int = PNG_SIDE

    @property
    def snippets(self) -> tuple[tuple[str, str], ...]:
        return (("HTML", self.html), ("Markdown", self.markdown))


def badge_code(
    *, name: str, score: str, page_url: str, image_url: str, preview_url: str
) -> BadgeCode:
    """The badge linked to the profile, as HTML and as Markdown. Plain text, not markup: a
    page that shows it escapes it once more."""
    alt = f"{name}: Sway score {score}"
    page, image, text = html.escape(page_url), html.escape(image_url), html.escape(alt)
    markdown_alt = _MARKDOWN_SPECIAL.sub(r"\\\1", alt)
    return BadgeCode(
        page_url=page_url,
        image_url=image_url,
        preview_url=preview_url,
        alt=alt,
        html=f'<a href="{page}"><img src="{image}" alt="{text}" width="220" height="28"></a>',
        markdown=f"[![{markdown_alt}]({image_url})]({page_url})",
    )


def badge_png(*, name: str, score: str) -> bytes:
    """The badge as a square picture: Sway, the score large, the name below it."""
    image = Image.new("RGB", (PNG_SIDE, PNG_SIDE), PURPLE)
    draw = ImageDraw.Draw(image)
    middle = PNG_SIDE / 2
    draw.text((middle, 60), "Sway", WHITE, ImageFont.load_default(size=40), anchor="mm")
    draw.text((middle, 195), score, WHITE, ImageFont.load_default(size=150), anchor="mm")
    font = ImageFont.load_default(size=30)
    draw.text((middle, 330), _fitted(name, font, PNG_SIDE - 40), WHITE, font, anchor="mm")
    encoded = io.BytesIO()
    image.save(encoded, "PNG", optimize=True)
    return encoded.getvalue()


def _fitted(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> str:
    """The text, shortened with an ellipsis until it is no wider than `width`."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
