"""The OpenAPI schema and its documentation page are public."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_lists_the_klout_v2_paths_and_the_docs_page_reads_it(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    docs = client.get("/api/docs/")

    assert "/v2/user.json/{klout_id}/score" in schema["paths"]
    assert schema["components"]["securitySchemes"]["kloutKey"] == {
        "type": "apiKey", "in": "query", "name": "key",
    }  # fmt: skip
    assert '<script src="/static/drf_spectacular_sidecar/' in docs.content.decode()  # no CDN
    assert "/api/schema/" in client.get("/api/docs/?script=").content.decode()


def test_an_unknown_api_address_answers_in_the_api_error_shape(client):
    response = client.get("/api/v1/nowhere/")

    assert response.status_code == 404
    assert response.json() == {
        "error": 404, "description": "There is nothing here. The link may be old or mistyped.",
    }  # fmt: skip
