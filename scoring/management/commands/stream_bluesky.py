import signal
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.ingest.bluesky.stream import BATCH_EVENTS, FLUSH_SECONDS, Consumer

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Command(BaseCommand):
    help = (
        "Read Bluesky's posts, likes, reposts and follows live from Jetstream "
        "(BLUESKY_JETSTREAM_URL: one or more hosts, tried in turn) and write them as they come, "
        "resuming from the stored cursor. Runs until stopped (SIGTERM or Ctrl-C: the batch in "
        "hand is written first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", action="append", help="a Jetstream subscribe address (repeat for more)"
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_EVENTS, help="events a transaction at most"
        )
        parser.add_argument(
            "--flush-seconds",
            type=float,
            default=FLUSH_SECONDS,
            help="the longest an event waits for its batch",
        )
        parser.add_argument(
            "--exit-when-idle",
            type=float,
            metavar="SECONDS",
            help="stop once no event has come for this long (a catch-up run, or tests)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1 or options["flush_seconds"] <= 0:
            raise CommandError("--batch-size must be at least 1 and --flush-seconds above 0")
        urls = options["url"] or settings.BLUESKY_JETSTREAM_URL
        if not urls or any(urlsplit(url).scheme not in {"ws", "wss"} for url in urls):
            raise CommandError("a Jetstream address starts with ws:// or wss://")
        consumer = Consumer(
            urls=urls,
            batch_size=options["batch_size"],
            flush_seconds=options["flush_seconds"],
            exit_when_idle=options["exit_when_idle"],
            report=lambda line: self.stdout.write(line),
        )

        def stop(number: int, frame: FrameType | None) -> None:
            consumer.stopping = True

        previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
        try:
            consumer.run()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
