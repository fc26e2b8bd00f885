"""Sway's own API: people looked up by handle or name, their score, history, topics and
influence; read with any key or a signed-in session."""

import pytest

from marketplace.api_keys.services import api_key_create
from marketplace.models import ApiScope
from scoring.models import Person
from scoring.selectors.klout import bucket
from tests.factories import UserFactory
from tests.scoring.worlds import alice

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, world):
    key = api_key_create(name="Partner", scope=ApiScope.READ).key

    def get(path, **params):
        return client.get(f"/api/v1/{path}", params, HTTP_AUTHORIZATION=f"Bearer {key}")

    return get


def test_people_are_looked_up_by_handle_address_or_name(api):
    person = alice()

    by_handle = api("people/", q="twitter:@alice").json()
    by_name = api("people/", q="Alice Mar").json()
    by_bare_username = api("people/", q="alice").json()
    refused = api("people/", q="https://example.com/alice")

    summary = {"id": person.public_id, "name": "Alice Martin", "score": person.score,
               "bucket": bucket(person.score)}  # fmt: skip
    assert by_handle["results"] == by_name["results"] == by_bare_username["results"] == [summary]
    assert by_handle["count"] == 1
    assert refused.status_code == 400
    assert refused.json()["error"] == 400
    assert set(refused.json()["fields"]) == {"q"}


def test_a_person_with_score_parts_history_topics_and_influence(api):
    person = alice()

    detail = api(f"people/{person.public_id}/").json()
    history = api(f"people/{person.public_id}/history/").json()
    topics = api(f"people/{person.public_id}/topics/").json()
    influence = api(f"people/{person.public_id}/influence/").json()

    assert detail["id"] == person.public_id
    assert set(detail["parts"]) == {"reach", "amplification", "network", "persistence"}
    assert detail["handles"] == [{"network": "twitter", "username": "Alice", "verified": False}]
    assert detail["day"] == "2026-11-22"
    assert [point["day"] for point in history] == [
        "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22",
    ]  # fmt: skip
    assert {"slug": "python", "name": "Python", "score": topics[0]["score"],
            "endorsements": 0} in topics  # fmt: skip
    assert "books" not in {t["slug"] for t in topics}  # sensitive
    bob = Person.objects.get(display_name="Bob Stone")
    assert bob.public_id in {r["id"] for r in influence["influencees"]}


def test_a_score_stored_without_its_parts_has_none(api):
    person = Person.objects.create(owner=UserFactory(password=None), score=60.0)

    detail = api(f"people/{person.public_id}/")

    assert detail.status_code == 200
    assert (detail.json()["score"], detail.json()["parts"]) == (60.0, None)


def test_the_api_needs_a_key_or_a_session_and_answers_unknown_people_in_one_shape(client, api):
    anonymous = client.get("/api/v1/people/", {"q": "alice"})
    unknown = api("people/nobody/")
    client.force_login(UserFactory(password=None))
    signed_in = client.get("/api/v1/people/", {"q": "alice"})

    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "error": 401, "description": "Authentication credentials were not provided.",
    }  # fmt: skip
    assert unknown.json() == {"error": 404, "description": "No person nobody."}
    assert signed_in.status_code == 200
