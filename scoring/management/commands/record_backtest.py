from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scoring.management.commands.backtest import day
from scoring.services.backtests import HORIZON_DAYS, model_backtest_record


class Command(BaseCommand):
    help = (
        "What the weekly beat does: backtest the live model as of "
        f"{HORIZON_DAYS} days before the day, against what happened since, and keep the "
        "figures as that day's measurement for the about page (/about/score/). Measuring a "
        "day again replaces it; no score is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--day",
            type=day,
            metavar="YYYY-MM-DD",
            help="the day measured on (default: today), for data that ended before today",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            record = model_backtest_record(today=options["day"] or timezone.now().date())
        except (ValueError, OverflowError) as error:  # a day whose cut is off the calendar
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backtest of {record.model_version} kept for {record.measured_on}: cut "
            f"{record.cut_day}, horizon {record.horizon_days} days, {record.candidates:,} "
            f"people ranked; Spearman's rho {record.spearman:.3f}, top-1 % precision "
            f"{record.top_precision:.3f}."
        )
