"""Schemathesis drives every API operation of the OpenAPI schema with generated requests
(a bounded number each) against the app, in process, on the scored test world: no answer is
a server error, and every answer fits the schema."""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from marketplace.api_keys.services import api_key_create
from marketplace.models import ApiScope

pytestmark = pytest.mark.django_db
EXAMPLES = 20

raw = json.loads(json.dumps(SchemaGenerator().get_schema(public=True), cls=DjangoJSONEncoder))
schema = schemathesis.openapi.from_dict(raw)
schema.app = get_wsgi_application()


@pytest.fixture
def api_key(world):
    """A key, on a world whose database connection each request keeps: the app's handler
    would close it after a request, as Django's test client prevents too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield api_key_create(name="Schemathesis", scope=ApiScope.READ).key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, api_key):
    case.query = {**(case.query or {}), "key": api_key}
    case.call_and_validate(headers={"Authorization": f"Bearer {api_key}"})
