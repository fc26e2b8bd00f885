"""How well the score predicts, in Sway's own API: the kept weekly backtests."""

from datetime import date

import pytest

from marketplace.api_keys.services import api_key_create
from marketplace.models import ApiScope
from tests.factories import ModelBacktestFactory

pytestmark = pytest.mark.django_db

VALIDITY = "/api/v1/score/validity/"


@pytest.fixture
def key(db):
    return api_key_create(name="Partner", scope=ApiScope.READ).key


def get(client, key, path=VALIDITY):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_weekly_backtests_newest_first_with_the_naive_counts(client, key):
    ModelBacktestFactory(measured_on=date(2026, 11, 22), spearman=0.312, candidates=2725)
    ModelBacktestFactory(measured_on=date(2026, 11, 29))

    response = get(client, key)

    assert response.status_code == 200
    latest, earlier = response.json()
    assert latest == {
        "measured_on": "2026-11-29", "model": "v1", "cut_day": "2026-10-30",
        "horizon_days": 30, "people_ranked": 2917, "spearman": 0.259, "top_precision": 0.483,
        "baselines": [
            {"name": "distinct_engagers", "spearman": 0.336, "top_precision": 0.586},
            {"name": "engagement_count", "spearman": 0.501, "top_precision": 0.483},
            {"name": "pagerank", "spearman": 0.217, "top_precision": 0.379},
        ],
    }  # fmt: skip
    assert (earlier["measured_on"], earlier["spearman"], earlier["people_ranked"]) == (
        "2026-11-22", 0.312, 2725,
    )  # fmt: skip


def test_nothing_measured_yet_is_an_empty_list(client, key):
    assert get(client, key).json() == []


def test_the_backtests_need_a_key_or_a_session(client):
    anonymous = client.get(VALIDITY)
    wrong = get(client, "not-a-key")

    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "error": 401, "description": "Authentication credentials were not provided.",
    }  # fmt: skip
    assert wrong.status_code == 401


@pytest.mark.parametrize(
    "query", ["q=%01%1B", "limit=99999999999999999999999999", "week=%ED%A0%80", "%01=-1e309"]
)
def test_hostile_query_strings_change_nothing(client, key, query):
    ModelBacktestFactory()

    response = get(client, key, f"{VALIDITY}?{query}")

    assert response.status_code == 200
    assert [m["measured_on"] for m in response.json()] == ["2026-11-29"]


def test_the_schema_describes_the_backtests(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    operation = schema["paths"][VALIDITY]["get"]
    assert operation["operationId"] == "score_validity"
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "type": "array", "items": {"$ref": "#/components/schemas/ModelBacktest"},
    }  # fmt: skip
    assert set(schema["components"]["schemas"]["ModelBacktest"]["required"]) == {
        "measured_on", "model", "cut_day", "horizon_days", "people_ranked", "spearman",
        "top_precision", "baselines",
    }  # fmt: skip
