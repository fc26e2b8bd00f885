"""API keys: made, shown once, stored as a hash and revoked (services); found by a request's
key (lookup); and read by the API: authentication, throttling and the OpenAPI schema's
security schemes (registered when the app is ready)."""
