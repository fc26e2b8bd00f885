"""Hostile values, as an attacker or a broken client sends them: NUL and other control
characters, lone surrogates, numbers past every column, text past every limit, markup,
traversal, JSON nested past the parser's depth."""

from urllib.parse import quote

from hypothesis import strategies as st

HUGE_NUMBERS = ["9" * 40, "2147483648", "9223372036854775808", "-9223372036854775809", "1e309"]
HOSTILE_TEXT = [
    "\x00", "a\x00b", "\ud800", "x\udfff", "\x01\x0b\x1f\x7f", "line\nbreak\r\n", "\u202e\u200b",
    "'; DROP TABLE x;--", "<script>alert(1)</script>", "../../etc/passwd", "%00", "%",
    "javascript:alert(1)", " ", "", "😀" * 40, "x" * 5000, "-1", "0", "NaN", *HUGE_NUMBERS,
]  # fmt: skip

# Text drawn from every category, surrogates and controls included.
any_text = st.text(
    alphabet=st.characters(codec=None, categories=("Cc", "Cs", "Zs", "L", "N", "P", "S", "Mn")),
    max_size=40,
)
hostile_text = st.one_of(st.sampled_from(HOSTILE_TEXT), any_text)


def nested(depth: int) -> str:
    """JSON arrays and objects nested `depth` deep."""
    return '[{"a":' * (depth // 2) + "1" + "}]" * (depth // 2)


leaves = st.one_of(
    hostile_text, st.integers(-(10**40), 10**40), st.floats(), st.booleans(), st.none()
)
hostile_json = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(hostile_text, children, max_size=4)
    ),
    max_leaves=12,
)


def in_url(value: str) -> str:
    """A value as it travels in a path or query: UTF-8, percent-encoded, a lone surrogate as
    the bytes a broken client would send."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")
