"""Bodies the API cannot take answer in its one error shape, never 500 nor an HTML page:
numbers beyond what is stored, JSON nested past reason, bodies past the size limit."""

import json

import pytest
from django.conf import settings

from campaigns.models import Campaign
from tests.api.test_campaigns_v1 import NEW, call, key_for

pytestmark = pytest.mark.django_db

EXPERIENCE = {**NEW, "perk_type": "experience", "tiers": []}


def post_raw(client, key, body: bytes):
    return client.post(
        "/api/v1/brands/acme/campaigns/", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slots": [{"starts_at": "2027-01-01T10:00:00Z", "capacity": 10**12}]}, "slots"),
        ({"quantity": 10**30}, "quantity"),
        ({"min_score": -(10**20)}, "min_score"),
        ({"slots": [{"starts_at": "2027-01-01T10:00:00Z", "capacity": 1}] * 101}, "slots"),
        ({"tiers": [{"min_score": 40, "offer": "x"}] * 101}, "tiers"),
    ],
)
def test_numbers_and_lists_beyond_the_limits_are_named_fields(client, brand, change, field):
    response = call(
        client, "post", "brands/acme/campaigns/", key_for(brand), {**EXPERIENCE, **change}
    )

    assert response.status_code == 400
    body = response.json()
    assert (body["error"], list(body["fields"])) == (400, [field])
    assert not Campaign.objects.exists()


def test_json_nested_past_reason_is_a_parse_error(client, brand):
    response = post_raw(client, key_for(brand), b"[" * 100_000 + b"]" * 100_000)

    assert response.status_code == 400
    assert response.json() == {"error": 400, "description": "The JSON is nested too deeply."}
    assert not Campaign.objects.exists()


def test_a_body_over_the_limit_is_413_in_the_api_shape(client, brand):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    padding = "x" * (50 * 2**20)

    response = post_raw(
        client, key_for(brand), json.dumps({**EXPERIENCE, "description": padding}).encode()
    )

    assert response.status_code == 413
    assert response.json() == {
        "error": 413,
        "description": f"The body is over {limit / 2**20:g} MB, the most a request may carry.",
    }
    assert not Campaign.objects.exists()


def test_a_surrogate_or_a_nul_in_a_body_is_a_named_field(client, brand):
    response = post_raw(
        client, key_for(brand),
        json.dumps({**EXPERIENCE, "title": "Volt\ud800", "description": "a\x00b"}).encode(),
    )  # fmt: skip

    assert response.status_code == 400
    assert sorted(response.json()["fields"]) == ["description", "title"]
    assert not Campaign.objects.exists()


def test_a_title_with_line_breaks_is_kept_on_one_line(client, brand):
    response = call(
        client, "post", "brands/acme/campaigns/", key_for(brand),
        {**NEW, "title": "Volt\r\nweekend\x0b drive"},
    )  # fmt: skip

    assert response.status_code == 201
    assert response.json()["title"] == "Volt weekend drive"
    assert Campaign.objects.get().title == "Volt weekend drive"
