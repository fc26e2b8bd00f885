import pytest
from django.core.management import call_command

from scoring.ingest.bulk_django import DjangoBulk
from scoring.ingest.writer import bulk_for_connection
from tests.scoring.worlds import scored_world


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


@pytest.fixture
def world(tmp_path, db):
    """A small world scored by the pipeline (tests.scoring.worlds.scored_world)."""
    scored_world(tmp_path)
