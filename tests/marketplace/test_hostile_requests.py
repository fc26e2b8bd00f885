"""Text no request can carry: a NUL byte anywhere in a path or a query answers 400 (or 404),
never 500; under the API's paths in the API's one error shape, elsewhere as a page."""

import pytest

from marketplace.api_keys.services import api_key_create
from marketplace.models import ApiScope

pytestmark = pytest.mark.django_db

PAGES = [
    "/search/?q=%00",
    "/search/?q=al%00ice",
    "/search/?%00=x",
    "/p/%00/",
    "/p/twitter/%00/",
    "/p/twitter/al%00ice/",
    "/badge/%00.svg",
    "/t/%00/",
    "/topics/?area=%00",
    "/about/score/?x=%00",
    "/about/score/?%00=x",
]
API = [
    "/api/v1/people/?q=%00",
    "/api/v1/people/%00/",
    "/api/v1/people/%00/history/",
    "/api/v1/people/%00/topics/",
    "/v2/identity.json/twitter?screenName=%00",
    "/v2/user.json/%00",
    "/v2/user.json/%00/score",
    "/v2/user.json/%00/topics",
    "/v2/user.json/%00/influence",
    "/v2/identity.json/klout/%00/tw",
    "/api/v1/score/validity/?q=%00",
]


@pytest.fixture
def key(world):
    return api_key_create(name="Partner", scope=ApiScope.READ).key


@pytest.mark.parametrize("path", PAGES)
def test_a_nul_in_a_pages_address_is_a_bad_request_page(client, world, path):
    response = client.get(path)

    assert response.status_code in (400, 404)
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", API)
def test_a_nul_in_an_api_address_is_a_bad_request_in_the_api_shape(client, key, path):
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}key={key}", headers={"authorization": f"Bearer {key}"})

    assert response.status_code in (400, 404)
    body = response.json()
    assert body["error"] == response.status_code
    assert body["description"]


def test_a_bad_request_says_what_is_wrong(client, db):
    response = client.get("/api/v1/people/?q=%00")

    assert response.status_code == 400
    assert response.json() == {
        "error": 400,
        "description": "This address holds a character that no web address may contain.",
    }


def test_a_nul_in_a_cookie_is_a_bad_request(client, db):
    response = client.get("/", headers={"cookie": "sessionid=ab\x00cd"})

    assert response.status_code == 400
    assert b"A cookie holds a character that no cookie may contain." in response.content


def test_staff_cannot_add_a_worker_heartbeat_by_hand(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get("/admin/marketplace/workerheartbeat/add/").status_code == 403
    assert client.post("/admin/marketplace/workerheartbeat/add/", {}).status_code == 403
