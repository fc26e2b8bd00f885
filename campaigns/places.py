"""The places a campaign may target: countries (ISO 3166-1 as pycountry keeps it, by the
two-letter code stored in Campaign.countries and Person.country) and cities (as people write
them in Person.place). The form and the API both clean them here, so they mean the same
everywhere."""

import re
import unicodedata
from collections.abc import Iterable

import pycountry
from django.core.exceptions import ValidationError

from marketplace.text import single_line

MAX_COUNTRIES = MAX_CITIES = 250
LONGEST_CITY = 100
_SEPARATORS = re.compile(r"[\s,;]+")
_WORDS = re.compile(r"[^\w]+")


def _name(country: object) -> str:
    """The name people use ("Bolivia", "South Korea") rather than ISO's ("Korea, Republic of")."""
    return str(getattr(country, "common_name", None) or getattr(country, "name", ""))


def _sort_key(name: str) -> str:
    """Åland Islands beside Albania, not after Zimbabwe."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


COUNTRY_NAMES: dict[str, str] = dict(
    sorted(
        ((country.alpha_2, _name(country)) for country in pycountry.countries),
        key=lambda pair: _sort_key(pair[1]),
    )
)
COUNTRY_CHOICES: list[tuple[str, str]] = [
    (code, f"{name} ({code})") for code, name in COUNTRY_NAMES.items()
]


def country_name(code: str) -> str:
    """The country's name, or the code itself when it names none."""
    return COUNTRY_NAMES.get(code, code)


def countries_like(text: str) -> list[tuple[str, str]]:
    """(code, label) of the countries whose code is `text`, then those whose name or a word of
    it starts with it ("fra": France (FR); "kor": South Korea (KR)), in the list's order;
    every country for no text."""
    key = _sort_key(text.strip())
    if not key:
        return COUNTRY_CHOICES
    by_code = [choice for choice in COUNTRY_CHOICES if choice[0].casefold() == key]
    by_name = [
        choice
        for choice in COUNTRY_CHOICES
        if choice not in by_code and _named_by(COUNTRY_NAMES[choice[0]], key)
    ]
    return by_code + by_name


def _named_by(name: str, key: str) -> bool:
    name = _sort_key(name)
    return name.startswith(key) or any(word.startswith(key) for word in _WORDS.split(name))


def countries_clean(values: Iterable[str]) -> tuple[str, ...]:
    """The codes as stored: upper case, each once, in the order given. Each value may hold
    several codes ("CA FR", "ca, fr"). Raises ValidationError naming those that are no
    country."""
    codes = dict.fromkeys(
        code.upper() for value in values for code in _SEPARATORS.split(value) if code
    )
    unknown = [code for code in codes if code not in COUNTRY_NAMES]
    if unknown:
        shown = ", ".join(repr(code)[1:-1][:20] for code in unknown[:5])
        raise ValidationError(
            f"Not a country code: {shown}. Choose countries from the list "
            "(two letters, as FR for France).",
            code="unknown_country",
        )
    if len(codes) > MAX_COUNTRIES:
        raise ValidationError(f"At most {MAX_COUNTRIES} countries.", code="too_many_countries")
    return tuple(codes)


def cities_clean(values: Iterable[str]) -> tuple[str, ...]:
    """The cities as stored: each on one line, once whatever its case, in the order given.
    A value may hold several, one a line. Raises ValidationError for a name too long."""
    lines = (single_line(line) for value in values for line in value.splitlines())
    cities: dict[str, str] = {}
    for line in lines:
        if line:
            cities.setdefault(line.casefold(), line)
    named = tuple(cities.values())
    if any(len(city) > LONGEST_CITY for city in named):
        raise ValidationError(
            f"A city's name is at most {LONGEST_CITY} characters.", code="city_too_long"
        )
    if len(named) > MAX_CITIES:
        raise ValidationError(f"At most {MAX_CITIES} cities.", code="too_many_cities")
    return named
