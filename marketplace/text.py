"""Text that comes from outside and goes into pages, e-mail and SVG: names that must stay on
one line, and addresses that may become links."""

import re

_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]+")
_SPACES = re.compile(r" {2,}")


def single_line(text: str) -> str:
    """Control characters, line and paragraph separators and what XML cannot hold, made one
    space: for a display name, a title, an e-mail subject, a badge."""
    return _SPACES.sub(" ", _BREAKS.sub(" ", text)).strip()


def is_web_address(address: str) -> bool:
    """Whether the address may become a link: http(s) and nothing else."""
    scheme, _, rest = address.partition("://")
    return scheme.lower() in {"http", "https"} and bool(rest) and address.isprintable()
