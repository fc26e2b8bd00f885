"""What a post is about: its words and hashtags matched against the approved topics' names,
aliases and keywords.

Text and phrases are folded the same way (case, accents, punctuation to spaces) into words
separated by single spaces, and every phrase is looked for with a space on each side, so it
matches whole words only ("java" is not in "javascript"), several words in a row ("ice
cream"), or a hashtag that runs them together ("#IceCream", "#ice_cream"). One Aho-Corasick
automaton finds every phrase in one pass over the text, whatever the size of the taxonomy.

Two kinds of name are too ambiguous to match as written: acronyms ("IT", "US", "SEO") match
only in capitals, and a name with a disambiguation ("Lost (TV Series)", "Queen (Band)") only
by its aliases; an acronym in brackets ("Canadian Football League (CFL)") is one more name.
"""

import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

# Letters and digits ("c++" and "c#" keep their marks), and the marks that end a phrase.
WORD = re.compile(r"#*[^\W_]+[+#]*|[.,;:!?]")
STOPS = ".,;:!?"
BRACKETS = re.compile(r"\s*\(([^)]*)\)\s*")
ACRONYM = re.compile(r"[A-Z][A-Z0-9&]+")


def _ascii_table() -> bytes:
    """ASCII letters and digits lower-cased, "+" and "#" kept, a stop ".", other ASCII a
    space."""
    kept = {ord(c): ord(c.lower()) for c in string.ascii_letters + string.digits + "+#"}
    kept |= {ord(c): ord(".") for c in STOPS}
    return bytes(kept.get(b, 32) if b < 128 else b for b in range(256))


ASCII_TABLE = _ascii_table()
STOP_TABLE = str.maketrans(STOPS, "." * len(STOPS))


def folded(text: str) -> str:
    """The text's words, folded (lower case, no accents, a hashtag's "_" dropped), each
    between single spaces; a "." stands between words that a phrase cannot span."""
    if text.isascii():  # most posts: C-level passes only
        words = text.encode().translate(ASCII_TABLE, b"_").replace(b".", b" . ").split()
        return " " + b" ".join(words).decode() + " "
    text = unicodedata.normalize("NFKD", text).casefold().replace("_", "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " " + " ".join(WORD.findall(text)).translate(STOP_TABLE) + " "


def hashtag_key(phrase: str) -> str:
    """The folded hashtag that writes a phrase: "#icecream" for "Ice Cream", "#IceCream" and
    "#ice_cream"."""
    return "#" + "".join(word.lstrip("#") for word in folded(phrase).split() if word != ".")


def hashtag_keys(name: str) -> set[str]:
    """Every hashtag that names a topic called `name`, however ambiguous ("#lost" for "Lost
    (TV Series)"): a hashtag is proposed as a new topic only if none of these is it."""
    forms = [name, BRACKETS.sub(" ", name), *(m.group(1) for m in BRACKETS.finditer(name))]
    return {hashtag_key(form) for form in forms} - {"#"}


@dataclass(frozen=True)
class _Name:
    topic: int
    written: re.Pattern[str] | None = None  # an acronym: found only written so


class TopicMatcher:
    def __init__(self, topics: Iterable[tuple[int, Iterable[str]]]):
        """`topics`: each topic's id and the phrases that name it (name, aliases, keywords)."""
        self.automaton = ahocorasick.Automaton()
        for topic, phrases in topics:
            for phrase in {p for name in phrases for p in _matchable(name)}:
                words = folded(phrase).split()
                if not words:
                    continue
                written = None
                if ACRONYM.fullmatch(phrase):
                    written = re.compile(rf"(?<![^\W_]){re.escape(phrase)}(?![^\W_])")
                name = _Name(topic, written)
                self._add(" " + " ".join(words) + " ", name)
                if written is None:
                    self._add(" " + hashtag_key(phrase) + " ", name)
        if len(self.automaton):
            self.automaton.make_automaton()

    def _add(self, key: str, name: _Name) -> None:
        names = self.automaton.get(key, None)
        if names is None:
            self.automaton.add_word(key, [name])
        elif name not in names:
            names.append(name)

    def match(self, text: str) -> set[int]:
        """The ids of the topics the text names."""
        if not len(self.automaton):
            return set()
        found: set[int] = set()
        for _, names in self.automaton.iter(folded(text)):
            for name in names:
                if name.written is None or name.written.search(text):
                    found.add(name.topic)
        return found


def _matchable(name: str) -> list[str]:
    """The forms of a name that may be matched (see the module's docstring)."""
    inside = BRACKETS.search(name)
    if inside is None:
        return [name]
    if ACRONYM.fullmatch(inside.group(1)):
        return [BRACKETS.sub(" ", name).strip(), inside.group(1)]
    return []
