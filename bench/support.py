"""What every benchmark needs: a fresh, migrated database and a description of the machine."""

import os
import platform
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent


def fresh_database(database_url: str) -> None:
    """Drop and recreate the database named by the URL, then migrate it."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
             "-U", parts.username or "postgres", "-d", "postgres", "-q", "-c"]  # fmt: skip
    subprocess.run([*admin, f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run([*admin, f'CREATE DATABASE "{name}"'], check=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
    )


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    server = subprocess.run(
        ["psql", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    processor = platform.processor() or platform.machine()
    return (
        f"machine: {os.cpu_count()} cores, {memory:.0f} GiB, {processor}, "
        f"Python {platform.python_version()}, {server}"
    )
