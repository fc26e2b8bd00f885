from datetime import UTC, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

import demo.world
from demo.world import DemoWorld, WorldSize
from scoring.ingest.runner import Progress, import_source
from scoring.models import Handle, Network, Topic, topic_is_public
from scoring.services.people import people_join_handles, people_locate
from scoring.taxonomy import load_starter_taxonomy


class Command(BaseCommand):
    help = (demo.world.__doc__ or "") + (
        "\nDeterministic for a seed. Does nothing when the demo world is already there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=5_000)
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 1 or options["days"] < 1:
            raise CommandError("--people and --days must be at least 1")
        if Handle.objects.filter(network=Network.TWITTER, username_key="demo_genuine").exists():
            self.stdout.write("The demo world is already seeded.")
            return
        load_starter_taxonomy(Topic)
        topics = list(
            Topic.objects.filter(topic_is_public(), is_area=False)
            .order_by("slug")
            .values_list("slug", flat=True)
        )
        midnight = datetime.combine(timezone.now().date(), time(), tzinfo=UTC)
        size = WorldSize(options["people"], options["days"], options["seed"], midnight)
        world = DemoWorld(size, topics)
        summary = import_source(world.lines(), progress=Progress(), errors=self.stderr)
        joined = people_join_handles(groups=world.person_handles())
        located = people_locate(places=world.person_places())
        self.stdout.write(
            f"Demo world of {size.people:,} people over {size.days} days: {summary.describe()}; "
            f"{joined:,} handles joined to their people; {located:,} say where they are."
        )
