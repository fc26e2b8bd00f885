"""The public pages about people: profile, search and badge, on a world the pipeline scored."""

import math
from xml.etree import ElementTree

import pytest
from django.db import connection

from scoring.models import Handle, Person, PersonTopic, Topic
from tests.scoring.worlds import alice

pytestmark = pytest.mark.django_db


def test_a_profile_shows_the_score_its_parts_history_reasons_topics_and_people(
    client, world, django_assert_num_queries
):
    person = alice()
    client.get(f"/p/{person.public_id}/")  # prepares the page's statement on this connection

    # One statement on PostgreSQL; elsewhere person, history, related people, hidden topics,
    # handles, topics, +K counts, and the site's sign-in keys (what a claim may be made by).
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 8):
        response = client.get(f"/p/{person.public_id}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert f'<p class="score" aria-label="Sway score">{person.score:.0f}</p>' in body
    assert f"Higher than {math.floor(person.percentile)} % of people" in body
    assert [part in body for part in ("Reach", "Amplification", "Network")] == [True] * 3
    assert body.count("<polyline") == 2  # the chart for a wide screen, and a phone's
    assert (
        '1 person engaged with the post “Post p1”, among them <a href="/p/twitter/bob/">@bob</a>'
        in body
    )
    assert '<a class="topic" href="/t/python/">Python</a>' in body
    assert "Books" not in body  # sensitive
    assert "Bob Stone" in body
    assert "Nobody has claimed this profile yet" in body


def test_a_profile_is_one_statement_with_no_score_yet_too(client, db, django_assert_num_queries):
    person = Person.objects.create(display_name="Newcomer")
    client.get(f"/p/{person.public_id}/")

    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 5):
        response = client.get(f"/p/{person.public_id}/")

    assert "No score yet" in response.content.decode()


def test_a_handle_address_leads_to_its_person(client, world):
    response = client.get("/p/twitter/alice/")

    assert response.status_code == 302
    assert response.url == f"/p/{alice().public_id}/"
    assert client.get("/p/twitter/nobody/").status_code == 404
    assert client.get("/p/myspace/alice/").status_code == 404


def test_someone_who_opted_out_has_no_page(client, world):
    person = alice()
    Person.objects.filter(pk=person.pk).update(opted_out=True)

    assert client.get(f"/p/{person.public_id}/").status_code == 404
    assert client.get("/p/twitter/alice/").status_code == 404
    assert client.get(f"/badge/{person.public_id}.svg").status_code == 404


@pytest.mark.parametrize(
    "query", ["twitter:@alice", "@ALICE", "https://x.com/alice", "martin", "Alice Mar"]
)
def test_search_finds_a_person_by_handle_address_or_name(client, world, query):
    response = client.get("/search/", {"q": query})

    body = response.content.decode()
    assert "1 person found" in body
    assert f'href="/p/{alice().public_id}/">Alice Martin</a>' in body
    assert "Python" in body


def test_search_pages_and_answers_htmx_with_the_results_alone(client, world):
    Person.objects.bulk_create(Person(display_name=f"Fan club {n}") for n in range(25))

    response = client.get("/search/", {"q": "fan", "page": 2}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="search-results"')
    assert "37 people found" in body
    assert '<ol class="results" start="21">' in body
    assert body.count('<li class="result">') == 17
    assert "Page 2 of 2" in body
    assert "HX-Request" in response.headers.get("Vary", "")


def test_search_going_back_gets_the_whole_page_with_its_query_and_pages_in_the_address(client):
    Person.objects.bulk_create(Person(display_name=f"Fan club {n}") for n in range(25))
    back = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

    response = client.get("/search/", {"q": "fan", "page": 2}, headers=back)

    body = " ".join(response.content.decode().split())
    assert body.startswith("<!DOCTYPE html>")
    assert 'name="q" value="fan"' in body
    assert 'role="search" hx-history="false">' in body  # Back asks the server, as here
    assert (
        '<a href="?q=fan&amp;page=1" hx-get="?q=fan&amp;page=1" hx-target="#search-results" '
        'hx-swap="outerHTML" hx-push-url="true">Previous</a>'
    ) in body
    assert "HX-History-Restore-Request" in response.headers["Vary"]


def test_search_explains_what_it_could_not_understand_and_what_it_did_not_find(client, world):
    unknown = client.get("/search/", {"q": "https://example.com/alice"}).content.decode()
    nobody = client.get("/search/", {"q": "zebra"}).content.decode()

    assert "is not a profile address Sway understands" in unknown
    assert "Nobody found for “zebra”" in nobody


def test_a_percentile_is_never_rounded_up_to_everyone(client, world):
    person = alice()
    Person.objects.filter(pk=person.pk).update(percentile=99.98)

    body = client.get(f"/p/{person.public_id}/").content.decode()

    assert "Higher than 99 % of people" in body


def person_with(username, score, *, network="twitter", external_id=None, name=""):
    person = Person.objects.create(display_name=name, score=score)
    Handle.objects.create(
        person=person, network=network, external_id=external_id or username, username=username
    )
    return person


def test_a_bare_word_finds_usernames_exactly_then_by_their_start_then_names(client, world):
    exact = person_with("demo_genuine", 20.0)
    starting = person_with("demo_genuine_fan", 90.0, network="mastodon")
    named = Person.objects.create(display_name="Demo_genuine Lover", score=95.0)

    body = client.get("/search/", {"q": "Demo_Genuine"}).content.decode()

    found = [body.index(f"/p/{p.public_id}/") for p in (exact, starting, named)]
    assert found == sorted(found)
    assert "3 people found" in body
    assert "X / Twitter</span> @demo_genuine" in body
    assert "Mastodon</span> @demo_genuine_fan" in body


@pytest.mark.parametrize("query", ["twitter:#88", "Twitter:#88", "tw/88", "TW/88"])
def test_a_handle_known_by_its_network_id_is_found_as_the_site_shows_it(client, world, query):
    person = person_with("", 30.0, external_id="88")

    body = client.get("/search/", {"q": query}).content.decode()

    assert "1 person found" in body
    assert f"/p/{person.public_id}/" in body
    assert "X / Twitter</span> #88" in body


def test_a_near_miss_offers_the_closest_usernames(client, world):
    person = person_with("demo_genuine", 20.0)

    body = client.get("/search/", {"q": "demo_genuime"}).content.decode()

    assert "Nobody found for “demo_genuime”" in body
    assert (
        f'Did you mean\n              <a href="/p/{person.public_id}/">twitter:@demo_genuine</a>'
        in body
    )


def test_the_badge_is_a_cacheable_svg(client, world):
    person = alice()

    response = client.get(f"/badge/{person.public_id}.svg")

    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert f">{person.score:.0f}</text>" in response.content.decode()
    assert "Alice Martin" in response.content.decode()
    assert response["Cache-Control"] == "public, max-age=3600"
    again = client.get(response.request["PATH_INFO"], headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "name", ["Ann\x0bLee\x01", "A\x1b[31mnn", "Ann\u2028Lee\uffff", "<Ann & 'Lee'>"]
)
def test_the_badge_is_valid_xml_whatever_the_name(client, world, name):
    person = alice()
    Person.objects.filter(pk=person.pk).update(display_name=name)

    response = client.get(f"/badge/{person.public_id}.svg")

    svg = ElementTree.fromstring(response.content)  # noqa: S314 (our own page)
    title = svg.find("{http://www.w3.org/2000/svg}title").text
    assert title.endswith(f": Sway score {person.score:.0f}")
    assert title.isprintable()


@pytest.mark.parametrize("people", [3, 30])
def test_search_runs_the_same_queries_whatever_the_number_of_results(
    client, world, django_assert_num_queries, people
):
    python = Topic.objects.get(slug="python")
    fans = Person.objects.bulk_create(Person(display_name=f"Fan club {n}") for n in range(people))
    PersonTopic.objects.bulk_create(PersonTopic(person=p, topic=python, score=0.5) for p in fans)

    with django_assert_num_queries(5):  # count, page, their handles, topics, hidden topics
        client.get("/search/", {"q": "fan"})


@pytest.mark.parametrize(
    ("address", "linked"),
    [("https://x.com/alice", True), ("javascript:alert(1)", False), (" data:text/html,x", False)],
)
def test_a_handle_links_to_its_profile_only_at_a_web_address(client, world, address, linked):
    person = alice()
    person.handles.update(profile_url=address)

    page = client.get(f"/p/{person.public_id}/").content.decode()

    assert (f'href="{address}"' in page) is linked
    assert "javascript:" not in page
