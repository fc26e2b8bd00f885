"""Running Sway the way an operator does: a fresh Python process with its own environment."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Variables that would leak this test run's configuration into the child process.
_SWAY_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_HTTPS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
    "EMAIL_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # the browser tests' session sets it (tests/e2e/conftest.py)
)


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without Sway's variables, plus the given ones."""
    environment = {k: v for k, v in os.environ.items() if k not in _SWAY_VARIABLES}
    environment.update(variables)
    return environment


def shared_database_url() -> str:
    """A URL for the database this test run uses, for a child process to share it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def manage_command(*args: str) -> list[str]:
    return [sys.executable, "manage.py", *args]


def run_manage(*args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        manage_command(*args),
        cwd=PROJECT_DIR,
        env=clean_environment(**variables),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def start_worker(environment: dict[str, str], queue: str, *options: str) -> subprocess.Popen[str]:
    """A Celery worker process consuming `queue` alone, so nothing else on the broker reaches
    it; its output (stdout and stderr) is piped for the test to read."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--queues", queue,
         "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle",
         "--loglevel=WARNING", *options],
        cwd=PROJECT_DIR,
        env=clean_environment(**environment),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


def link_in(text: str, path_pattern: str) -> str:
    """The first absolute URL in `text` whose path matches `path_pattern`."""
    found = re.search(rf"https?://[^/\s]+{path_pattern}", text)
    assert found, f"no link to {path_pattern} in:\n{text}"
    return found.group(0)


def path_of(url: str) -> str:
    return urlsplit(url).path
