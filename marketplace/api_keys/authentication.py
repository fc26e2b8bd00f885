"""DRF authentication by API key: in a header (API v1) or the `key` query parameter (v2)."""

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from marketplace.api_keys.lookup import api_key_of
from marketplace.models import ApiKey


class KeyUser:
    """Who a request with a key acts as: no site user, only the key's rights."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    pk = None

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer sway_…` (or the `X-Api-Key` header)."""

    def authenticate(self, request: Request) -> tuple[KeyUser, ApiKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        key = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        key = key or request.META.get("HTTP_X_API_KEY", "").strip()
        if not key:
            return None
        return _authenticated(key)

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class QueryKeyAuthentication(authentication.BaseAuthentication):
    """The key in the `key` query parameter, as Klout's API v2 had it."""

    def authenticate(self, request: Request) -> tuple[KeyUser, ApiKey] | None:
        key = request.query_params.get("key", "").strip()
        if not key:
            raise exceptions.NotAuthenticated("Give your API key as the key parameter.")
        return _authenticated(key)


def _authenticated(key: str) -> tuple[KeyUser, ApiKey]:
    api_key = api_key_of(key)
    if api_key is None:
        raise exceptions.AuthenticationFailed("This API key is not valid, or was revoked.")
    return KeyUser(api_key), api_key
