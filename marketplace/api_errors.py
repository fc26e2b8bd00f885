"""One error shape for the whole API, Klout's: {"error": <status>, "description": "…"}, with
"fields" added for a request whose fields were wrong. A service's refusal (ApplicationError)
is answered here, in its own words and with its status, wherever an API view let it through."""

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler

from marketplace.errors import ApplicationError


def _text(detail: Any) -> str:
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_text(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_text(item) for item in detail)
    return str(detail)


class _Refused(APIException):
    """An ApplicationError in the form DRF answers: its message, with its status."""

    def __init__(self, error: ApplicationError) -> None:
        super().__init__(error.message)
        self.status_code = error.status
        self.fields = error.fields


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        exc = _Refused(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    shaped: dict[str, Any] = {"error": response.status_code}
    if isinstance(data, dict) and set(data) == {"detail"}:
        shaped["description"] = _text(data["detail"])
    else:
        shaped["description"] = "Some fields are wrong: " + _text(data)
        shaped["fields"] = data
    if isinstance(exc, _Refused) and exc.fields:
        shaped["fields"] = exc.fields
    response.data = shaped
    return response


class ApiErrorSerializer(serializers.Serializer):
    """The error shape, for the schema. Built in get_fields because a serializer's own
    `fields` attribute takes the name of the third one."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "error": serializers.IntegerField(help_text="The HTTP status."),
            "description": serializers.CharField(),
            "fields": serializers.DictField(
                required=False, help_text="What is wrong with each field."
            ),
        }


def errors(*statuses: int) -> dict[int, type[ApiErrorSerializer]]:
    """The error responses an operation documents, all in the one shape. Every operation may
    answer 400: an address or body no web request may hold is refused before any view
    (marketplace.request_text)."""
    return dict.fromkeys(sorted({400, *statuses}), ApiErrorSerializer)
