from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo import brands


class Command(BaseCommand):
    help = (brands.__doc__ or "") + (
        " Run after seed_demo and compute_scores. Local development only (DJANGO_DEBUG=true): "
        "each run gives both demo accounts a new password and the API a new read key, and "
        "prints them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development: set DJANGO_DEBUG=true.")
        accounts = brands.demo_campaigns_seed(now=timezone.now())
        made = "Two demo brands with live campaigns" if accounts.created else "The demo brands"
        self.stdout.write(
            f"{made} are ready. Try them with these accounts (password {accounts.password}):\n"
            f"  {brands.BRAND_OWNER}  owns the brands: /brands/\n"
            f"  {brands.MEMBER}  qualifies for their perks: /perks/\n"
            f"and this read key for the API (/api/docs/): {accounts.api_key}"
        )
