from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from scoring.services.people import posts_match_topics


class Command(BaseCommand):
    help = (
        "Match the posts of the last DAYS days against the approved topics as they are now "
        "(imports match new posts as they arrive; run this after the taxonomy changes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90, help="default 90, the window")

    def handle(self, *args: Any, **options: Any) -> None:
        since = timezone.now() - timedelta(days=options["days"])
        posts, added = posts_match_topics(since=since)
        self.stdout.write(f"Matched {posts:,} posts: {added:,} topics added.")
