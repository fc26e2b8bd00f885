"""Text that must stay on one line and be valid anywhere it goes (a display name, a title, an
e-mail subject, an SVG): control characters, line and paragraph separators and what XML
cannot hold become one space."""

import re

_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]+")
_SPACES = re.compile(r" {2,}")


def single_line(text: str) -> str:
    return _SPACES.sub(" ", _BREAKS.sub(" ", text)).strip()
