import json
import re
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scoring import pipeline
from scoring.engine.model import Params
from scoring.engine.versions import LIVE, MODELS
from scoring.shadow import compare_with_live

MOST_DAYS = 366  # --since reaches back a year at most
DAYS = re.compile(r"([0-9]+)d")


class Command(BaseCommand):
    help = (
        "Score everyone for a day from the 90 days of engagement before it, write one "
        "snapshot a person (replacing that day's), and update current scores. With --shadow, "
        "a model other than the live one writes only its own snapshots and reports how "
        "scores would move. With --since, the days before it are scored first, oldest first, "
        "as the nightly run would have, so that everyone has a history: days scored before "
        "are kept (--as-of scores one again), and the last day is always scored again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD; default today")
        parser.add_argument("--model", default=LIVE, choices=sorted(MODELS))
        parser.add_argument("--shadow", action="store_true")
        parser.add_argument("--report", choices=["json"], help="end with one JSON line")
        parser.add_argument(
            "--since",
            help="the first day to score: 90d (the 90 days that end with the day scored) or "
            f"YYYY-MM-DD, at most {MOST_DAYS} days",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.now().date()
        if isinstance(as_of, str):
            as_of = date.fromisoformat(as_of)
        model = options["model"]
        if options["shadow"] and model == LIVE:
            raise CommandError(f"{model} is the live model: shadow another version beside it")
        if not options["shadow"] and model != LIVE:
            raise CommandError(f"{model} is not live ({LIVE} is): run it with --shadow")
        first = as_of if options["since"] is None else first_day(options["since"], as_of)
        self._backfill(first, as_of, MODELS[model])
        summary, scores, extract = pipeline.run(
            as_of=as_of, params=MODELS[model], live=not options["shadow"]
        )
        report = summary.as_dict()
        if options["shadow"]:
            report["shadow"] = compare_with_live(as_of, scores, extract)
        days = (as_of - first).days + 1
        self.stdout.write(
            (f"Day {days} of {days}: scored" if days > 1 else "Scored")
            + f" {summary.people:,} people for {as_of} with {model} in {summary.seconds} s: "
            f"median {summary.median}, 95th percentile {summary.p95}, max {summary.max}."
        )
        if options["report"] == "json":
            self.stdout.write(json.dumps(report))

    def _backfill(self, first: date, last: date, params: Params) -> None:
        """The days from `first` to the one before `last`, but for those scored before."""
        days = [first + timedelta(days=n) for n in range((last - first).days)]
        total = len(days) + 1
        kept = pipeline.scored_days(days, params.version)
        if kept:
            self.stdout.write(
                f"{len(kept)} of the {total} days were scored before and are kept "
                "(--as-of scores one again)."
            )
        for summary in pipeline.backfill(days=[d for d in days if d not in kept], params=params):
            self.stdout.write(
                f"Day {(summary.as_of - first).days + 1} of {total}: scored "
                f"{summary.people:,} people for {summary.as_of} in {summary.seconds} s."
            )


def first_day(since: str, last: date) -> date:
    """The first day `--since` names: "90d" is the 90 days that end with `last`."""
    days = DAYS.fullmatch(since)
    if days is not None:
        if len(days[1]) > len(str(MOST_DAYS)) or not 1 <= int(days[1]) <= MOST_DAYS:
            raise CommandError(f"--since takes from 1d to {MOST_DAYS}d, not {since}")
        return last - timedelta(days=int(days[1]) - 1)
    try:
        first = date.fromisoformat(since)
    except ValueError:
        raise CommandError(
            f"--since takes a number of days such as 90d or a day (YYYY-MM-DD), not {since!r}"
        ) from None
    if first > last:
        raise CommandError(f"--since {first} is after the day scored, {last}")
    if (last - first).days >= MOST_DAYS:
        raise CommandError(f"--since {first} is more than {MOST_DAYS} days before {last}")
    return first
