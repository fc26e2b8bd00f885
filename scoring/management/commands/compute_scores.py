import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scoring import pipeline
from scoring.engine.versions import LIVE, MODELS
from scoring.shadow import compare_with_live


class Command(BaseCommand):
    help = (
        "Score everyone for a day from the 90 days of engagement before it, write one "
        "snapshot a person (replacing that day's), and update current scores. With --shadow, "
        "a model other than the live one writes only its own snapshots and reports how "
        "scores would move."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD; default today")
        parser.add_argument("--model", default=LIVE, choices=sorted(MODELS))
        parser.add_argument("--shadow", action="store_true")
        parser.add_argument("--report", choices=["json"], help="end with one JSON line")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.now().date()
        if isinstance(as_of, str):
            as_of = date.fromisoformat(as_of)
        model = options["model"]
        if options["shadow"] and model == LIVE:
            raise CommandError(f"{model} is the live model: shadow another version beside it")
        if not options["shadow"] and model != LIVE:
            raise CommandError(f"{model} is not live ({LIVE} is): run it with --shadow")
        summary, scores, extract = pipeline.run(
            as_of=as_of, params=MODELS[model], live=not options["shadow"]
        )
        report = summary.as_dict()
        if options["shadow"]:
            report["shadow"] = compare_with_live(as_of, scores, extract)
        self.stdout.write(
            f"Scored {summary.people:,} people for {as_of} with {model} in {summary.seconds} s: "
            f"median {summary.median}, 95th percentile {summary.p95}, max {summary.max}."
        )
        if options["report"] == "json":
            self.stdout.write(json.dumps(report))
