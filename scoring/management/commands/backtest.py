import json
from argparse import ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.backtest import DEFAULT_HORIZON_DAYS, Backtest, backtest
from scoring.engine.versions import LIVE, MODELS


class Command(BaseCommand):
    help = (
        "How well each model version, and the naive counts it must beat, predicted who would "
        "move people: for each cut day, everyone is scored from the window before it and "
        "ranked against the number of distinct people who engaged with them in the horizon "
        "after it (Spearman's rho and top-1 % precision). Writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            action="append",
            required=True,
            type=day,
            metavar="YYYY-MM-DD",
            help="a cut day; repeat for more",
        )
        parser.add_argument(
            "--horizon",
            type=int,
            default=DEFAULT_HORIZON_DAYS,
            metavar="DAYS",
            help=f"days after each cut that make the truth (default {DEFAULT_HORIZON_DAYS})",
        )
        parser.add_argument(
            "--model",
            action="append",
            choices=sorted(MODELS),
            help=f"a model version; repeat for more (default: the live one, {LIVE})",
        )
        parser.add_argument("--report", choices=["json"], help="end with one JSON line")

    def handle(self, *args: Any, **options: Any) -> None:
        models = options["model"] or [LIVE]
        try:
            result = backtest(cuts=options["as_of"], horizon_days=options["horizon"], models=models)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(table(result))
        if options["report"] == "json":
            self.stdout.write(json.dumps(result.as_dict()))


def table(result: Backtest) -> str:
    """The fits as a text table: a row a predictor, rho and top-1 % a cut, then the mean."""
    days = [cut.as_of.isoformat() for cut in result.cuts]
    width = max(len(name) for name in result.predictors)
    lines = [
        f"Horizon {result.horizon_days} days; people ranked a cut: "
        + ", ".join(f"{cut.as_of} {cut.candidates:,}" for cut in result.cuts),
        f"{'':{width}}  " + "  ".join(f"{day:>13}" for day in [*days, "mean"]),
    ]
    for name in result.predictors:
        fits = [cut.fits[name] for cut in result.cuts] + [result.mean(name)]
        lines.append(
            f"{name:{width}}  "
            + "  ".join(f"{fit.spearman:6.3f} {fit.top_precision:6.3f}" for fit in fits)
        )
    lines.append("(each cell: Spearman's rho, top-1 % precision)")
    return "\n".join(lines)


def day(value: str) -> date:
    """A YYYY-MM-DD argument."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a day (YYYY-MM-DD)") from None
