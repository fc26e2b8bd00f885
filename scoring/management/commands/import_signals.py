from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.ingest import sources
from scoring.ingest.records import SourceError
from scoring.ingest.runner import DEFAULT_BATCH_SIZE, Progress, import_source
from scoring.models import Network


class Command(BaseCommand):
    help = (
        "Import handles, posts and interactions. Formats: jsonl (docs/IMPORT.md), snap "
        "('actor target unix_seconds RT|MT|RE|CO' lines), twitter-archive (an archive .zip or its "
        "data/tweets.js), mastodon (--instance and --account, read through the public API), "
        "bluesky (--account: its last 90 days, read through the public AppView API). "
        "Re-importing adds nothing; handles on the do-not-track list are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="the file to read")
        parser.add_argument("--format", required=True, choices=sorted(sources.FORMATS))
        parser.add_argument(
            "--network",
            choices=Network.values,
            help="the network of the ids in the file (snap: required; jsonl: the default)",
        )
        parser.add_argument("--on-error", choices=["stop", "skip"], default="stop")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument("--instance", help="mastodon: the server, e.g. https://mastodon.social")
        parser.add_argument(
            "--account",
            help="mastodon: the account's username on that server; bluesky: its handle or DID",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            source = sources.open_source(options["format"], options)
        except SourceError as error:
            raise CommandError(str(error)) from error
        summary = import_source(
            source,
            on_error=options["on_error"],
            batch_size=options["batch_size"],
            errors=self.stderr,
            progress=Progress(),
        )
        self.stdout.write(summary.describe())
        if summary.stopped_at:
            raise CommandError(
                "import stopped at the first bad line (use --on-error skip to go on)"
            )
