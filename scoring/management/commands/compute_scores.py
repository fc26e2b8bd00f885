import json
import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scoring import pipeline
from scoring.engine.model import Params
from scoring.engine.parquet import LayoutError
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
        "are kept (--as-of scores one again), and the last day is always scored again. "
        "With --window-only, the day's window is written at SCORING_WINDOW_URL for a compute "
        "step elsewhere (spark-submit), and --scores-from then loads the scores it wrote."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD; default today")
        parser.add_argument("--model", default=LIVE, choices=sorted(MODELS))
        parser.add_argument("--shadow", action="store_true")
        parser.add_argument("--report", choices=["json"], help="end with one JSON line")
        parser.add_argument(
            "--engine",
            choices=pipeline.ENGINES,
            help="the compute step: numpy (this machine) or spark; default SCORING_ENGINE",
        )
        parser.add_argument(
            "--window-only",
            action="store_true",
            help="write the day's window at SCORING_WINDOW_URL as Parquet, and score nothing",
        )
        parser.add_argument(
            "--scores-from",
            metavar="URL",
            help="load the scores a compute step wrote there from the window at "
            "SCORING_WINDOW_URL, if it is still the day's, instead of computing them",
        )
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
        if first != as_of and (options["window_only"] or options["scores_from"]):
            raise CommandError("--since scores days here: not with --window-only or --scores-from")
        if options["window_only"]:
            self._window_only(as_of, MODELS[model])
            return
        engine = options["engine"]
        try:
            pipeline.compute_with(engine)  # before any day is scored
            self._backfill(first, as_of, MODELS[model], engine)
            summary, scores, extract = pipeline.run(
                as_of=as_of,
                params=MODELS[model],
                live=not options["shadow"],
                engine=engine,
                scores_url=options["scores_from"],
            )
        except (pipeline.EngineUnavailable, LayoutError) as error:
            raise CommandError(str(error)) from None
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

    def _window_only(self, as_of: date, params: Params) -> None:
        try:
            extract = pipeline.window_only(as_of=as_of, params=params)
        except LayoutError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Wrote the window of {as_of} ({extract.signals.people:,} people, "
            f"{len(extract.signals.actor):,} interactions) at {settings.SCORING_WINDOW_URL}."
        )

    def _backfill(self, first: date, last: date, params: Params, engine: str | None) -> None:
        """The days from `first` to the one before `last`, but for those scored before."""
        days = [first + timedelta(days=n) for n in range((last - first).days)]
        total = len(days) + 1
        kept = pipeline.scored_days(days, params.version)
        if kept:
            self.stdout.write(
                f"{len(kept)} of the {total} days were scored before and are kept "
                "(--as-of scores one again)."
            )
        days = [day for day in days if day not in kept]
        for summary in pipeline.backfill(days=days, params=params, engine=engine):
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
