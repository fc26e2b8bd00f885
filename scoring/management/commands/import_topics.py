from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.ingest.klout_topics import SHIPPED_ONTOLOGY, OntologyError, import_klout_ontology


class Command(BaseCommand):
    help = (
        "Import the Klout Topic Ontology (a directory with klout_topic_ontology_20180601.csv "
        "and klout_topic_edge_20180601.csv) as approved topics with their parents. Running it "
        "again updates instead of duplicating; banned or renamed topics keep their state."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--klout-ontology",
            type=Path,
            required=True,
            nargs="?",
            const=SHIPPED_ONTOLOGY,
            metavar="DIR",
            help="the ontology's directory; without one, the copy shipped in scoring/data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = import_klout_ontology(Path(options["klout_ontology"]))
        except OntologyError as error:
            raise CommandError(str(error)) from error
        for problem in summary.problems:
            self.stderr.write(problem)
        self.stdout.write(summary.describe())
