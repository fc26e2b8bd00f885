"""Every route of the site, found in the URL configuration (so a new one is covered the day it
is added), driven by Hypothesis with hostile values in its path, its query and a form body,
by a visitor, a member, a brand owner and staff: no answer is a server error, and the API's
refusals keep its JSON shape."""

import json
import re
from dataclasses import dataclass

import pytest
from django.forms.forms import BaseForm
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.robustness.hostile import HOSTILE_TEXT, hostile_json, hostile_text, in_url, nested

pytestmark = pytest.mark.django_db
EXAMPLES = 10

QUERY_NAMES = [
    "q", "page", "sort", "order", "topic", "network", "next", "key", "tab", "days", "from",
    "to", "format", "limit", "offset", "status", "country", "city", "kind", "as_of", "model",
]  # fmt: skip
_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    template: str  # the path with {name} for each parameter
    parameters: dict[str, str]  # name: the regular expression its value must match

    def __str__(self) -> str:
        return self.template


def _parts(pattern: RoutePattern | RegexPattern) -> tuple[str, dict[str, str]]:
    if isinstance(pattern, RoutePattern):
        regexes = {name: converter.regex for name, converter in pattern.converters.items()}
        return _CONVERTER.sub(r"{\1}", str(pattern)), regexes
    source = str(pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    regexes = {name: regex for name, regex in _NAMED_GROUP.findall(source)}
    return _NAMED_GROUP.sub(r"{\1}", source).replace("\\", ""), regexes


def _routes(patterns, prefix="", parameters=None):
    for entry in patterns:
        template, regexes = _parts(entry.pattern)
        found = {**(parameters or {}), **regexes}
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + template, found)
        else:
            yield Route("/" + prefix + template, found)


ROUTES = sorted({route.template: route for route in _routes(get_resolver().url_patterns)}.values(),
                key=str)  # fmt: skip


def _form_fields() -> list[str]:
    """The names of every form's fields in Sway's apps and allauth's accounts."""
    forms: list[type[BaseForm]] = [BaseForm]
    names: set[str] = set()
    while forms:
        form = forms.pop()
        forms.extend(form.__subclasses__())
        if form.__module__.split(".")[0] in {"marketplace", "campaigns", "scoring", "allauth"}:
            names.update(getattr(form, "base_fields", {}))
    return sorted(names)


FORM_FIELDS = _form_fields()


def value_for(name: str, regex: str, real: dict[str, list[str]]) -> st.SearchStrategy[str]:
    hostile = [value for value in HOSTILE_TEXT if value and re.fullmatch(regex, value)]
    choices = [st.from_regex(regex, fullmatch=True)]
    choices += [st.sampled_from(values) for values in (real.get(name), hostile) if values]
    return st.one_of(choices)


def encoded(pairs: dict[str, str]) -> str:
    return "&".join(f"{in_url(name)}={in_url(value)}" for name, value in pairs.items())


CHUNKS = 6  # tests, each building the site once, which xdist may run side by side


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_no_route_answers_a_server_error(chunk, site, client):
    for route in ROUTES[chunk::CHUNKS]:
        try:
            probe(route, site, client)
        except Exception as error:
            error.add_note(f"route: {route}")
            raise


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def probe(route, site, client, data):
    user = data.draw(st.sampled_from(site.users), label="user")
    values = {
        name: data.draw(value_for(name, regex, site.real), label=name)
        for name, regex in route.parameters.items()
    }
    path = route.template.format(**{name: in_url(value) for name, value in values.items()})
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES), hostile_text, max_size=3))
    form = data.draw(st.dictionaries(st.sampled_from(FORM_FIELDS), hostile_text, max_size=6))
    client.logout()
    if user is not None:
        client.force_login(user)

    key = {"HTTP_AUTHORIZATION": f"Bearer {site.brand_key}"}
    answers = [
        client.get(f"{path}?{encoded(query)}", **key),
        client.post(path, encoded(form), content_type="application/x-www-form-urlencoded"),
    ]
    if path.startswith(("/api/v1/", "/v2/")):
        method = data.draw(st.sampled_from(["post", "put", "patch", "delete"]), label="method")
        body = json.dumps(data.draw(hostile_json, label="body"))
        answers.append(getattr(client, method)(path, body, content_type="application/json", **key))

    for answer in answers:
        assert_refused_politely(path, answer)


def assert_refused_politely(path, answer):
    assert answer.status_code < 500
    if path.startswith(("/api/v1/", "/v2/")) and answer.status_code >= 400:
        assert answer["Content-Type"].startswith("application/json"), answer.content[:200]
        assert answer.json()["error"] == answer.status_code


API_ROUTES = [route for route in ROUTES if route.template.startswith(("/api/v1/", "/v2/"))]
BODIES = {
    "nested past the parser's depth": nested(100_000),
    "3 MB": json.dumps({"title": "x" * 3_000_000}),
    "not JSON": "{'title': ",
    "NUL": '{"title": "a\\u0000b"}',
    "a lone surrogate": '{"title": "\\ud800"}',
    "a number past every column": '{"quantity": 1' + "0" * 400 + "}",
}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_no_api_route_fails_on_a_hostile_body(body, site, client):
    key = {"HTTP_AUTHORIZATION": f"Bearer {site.brand_key}"}
    for route in API_ROUTES:
        path = route.template.format(
            **{name: site.real.get(name, ["x"])[0] for name in route.parameters}
        )
        for method in ("post", "put", "patch"):
            answer = getattr(client, method)(path, body, content_type="application/json", **key)
            try:
                assert_refused_politely(path, answer)
            except AssertionError as error:
                error.add_note(f"{method.upper()} {path}")
                raise
