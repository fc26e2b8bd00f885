from dataclasses import fields
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scoring.services.topic_candidates import Thresholds, topic_candidates_propose


class Command(BaseCommand):
    help = (
        "Propose hashtags that many people used lately and no topic names as pending topics, "
        "with their evidence, for staff to review in the admin (the nightly task does this)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Thresholds()
        parser.add_argument("--days", type=int, default=defaults.days, help="how far back")
        parser.add_argument(
            "--min-people", type=int, default=defaults.min_people, help="distinct people"
        )
        parser.add_argument("--limit", type=int, default=defaults.limit, help="new topics at most")

    def handle(self, *args: Any, **options: Any) -> None:
        values = {f.name: options[f.name] for f in fields(Thresholds)}
        if min(values.values()) < 1:
            raise CommandError("--days, --min-people and --limit must be at least 1")
        proposals = topic_candidates_propose(now=timezone.now(), thresholds=Thresholds(**values))
        names = ", ".join(proposals.created) or "none"
        self.stdout.write(
            f"Proposed {len(proposals.created)} new topics ({names}); "
            f"evidence counted again for {proposals.refreshed} pending ones."
        )
