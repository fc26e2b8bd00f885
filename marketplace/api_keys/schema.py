"""How the OpenAPI schema describes the API key authentications (drf-spectacular
extensions, registered by importing this module: MarketplaceConfig.ready)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from marketplace.api_keys.authentication import ApiKeyAuthentication, QueryKeyAuthentication


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer KEY"}


class QueryKeyScheme(OpenApiAuthenticationExtension):
    target_class = QueryKeyAuthentication
    name = "kloutKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "query", "name": "key"}
