from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Sway site"

    def ready(self) -> None:
        from marketplace import checks  # noqa: F401  (registers the deploy checks)
        from marketplace.api_keys import schema  # noqa: F401  (registers the key schemes)
