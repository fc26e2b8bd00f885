import pytest
from django.core.management import call_command

from scoring.ingest.bulk_django import DjangoBulk
from scoring.ingest.writer import bulk_for_connection


@pytest.fixture(params=["native", "django"])
def bulk(request, db):
    """Both bulk backends on the test database: COPY on PostgreSQL, bulk_create anywhere."""
    return bulk_for_connection() if request.param == "native" else DjangoBulk()


@pytest.fixture
def import_signals(capsys):
    """Runs the command as an operator does; returns (stdout, stderr)."""

    def run(*args, **options):
        call_command("import_signals", *map(str, args), **options)
        captured = capsys.readouterr()
        return captured.out, captured.err

    return run
