from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.models import Brand
from marketplace.api_keys.services import api_key_create
from marketplace.models import ApiScope


class Command(BaseCommand):
    help = (
        "Make an API key: read (scores and topics) or brand-write (one brand's campaigns and "
        "claims). The key is printed alone on the last line, once: only its hash is kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="whose key it is")
        parser.add_argument("--scope", choices=ApiScope.values, default=ApiScope.READ)
        parser.add_argument("--brand", help="the brand's slug, for a brand-write key")

    def handle(self, *args: Any, **options: Any) -> None:
        scope = ApiScope(options["scope"])
        brand_id = None
        if scope == ApiScope.BRAND_WRITE:
            if not options["brand"]:
                raise CommandError("A brand-write key needs --brand SLUG.")
            brand = Brand.objects.filter(slug=options["brand"]).first()
            if brand is None:
                raise CommandError(f"No brand {options['brand']!r}.")
            brand_id = brand.pk
        elif options["brand"]:
            raise CommandError("Only a brand-write key names a brand.")
        new = api_key_create(name=options["name"], scope=scope, brand_id=brand_id)
        self.stderr.write(f"API key {new.api_key} ({scope.label.lower()}). Keep it now:")
        self.stdout.write(new.key)
