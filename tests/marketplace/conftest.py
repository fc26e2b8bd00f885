from tests.campaigns.conftest import brand, live_campaign  # noqa: F401  (fixtures)
