"""What every benchmark needs: a fresh, migrated database and a description of the machine."""

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent


def fresh_database(database_url: str, project: Path = PROJECT_DIR) -> None:
    """Drop and recreate the database named by the URL, then migrate it with the code of
    `project` (this checkout, or another one's: `checkout_of`)."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
             "-U", parts.username or "postgres", "-d", "postgres", "-q", "-c"]  # fmt: skip
    subprocess.run([*admin, f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run([*admin, f'CREATE DATABASE "{name}"'], check=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
        cwd=project,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
    )


def manage(database_url: str, *args: str) -> str:
    """What a management command of this checkout printed, run against the database."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def checkout_of(commit: str) -> Path:
    """A checkout of `commit` outside the project (made once, then reused), to run an earlier
    version's code in turns with this one: this machine's speed drifts by tens of percent
    within an hour, so only runs made in turns compare. It runs on this checkout's
    virtualenv."""
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", f"{commit}^{{commit}}"],
        cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    path = Path(tempfile.gettempdir()) / f"sway-bench-{sha[:12]}"
    if not path.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(path), sha], cwd=PROJECT_DIR, check=True
        )
    return path


def machine() -> str:
    """The machine, and how fast it runs plain Python today: the project's machine is a
    virtual one whose host, and so its speed, changes from day to day."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    server = subprocess.run(
        ["psql", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return (
        f"machine: {os.cpu_count()} cores, {memory:.0f} GiB, {_processor()}, "
        f"Python {platform.python_version()}, {server}; "
        f"yardstick: a 10-million-step Python loop in {_python_loop_seconds():.2f} s"
    )


def _processor() -> str:
    """The CPU's model and clock, and whether it has AVX-512, which NumPy's SIMD sorts use."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    first_cpu = info.split("\n\n")[0].splitlines()
    fields = {
        name.strip(): value.strip()
        for name, value in (line.split(":", 1) for line in first_cpu if ":" in line)
    }
    model = fields.get("model name", platform.machine())
    clock = fields.get("cpu MHz", "?")
    avx512 = "with" if "avx512f" in fields.get("flags", "").split() else "without"
    return f"{model} at {clock} MHz {avx512} AVX-512"


def _python_loop_seconds() -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for step in range(10_000_000):
            total += step
        best = min(best, time.perf_counter() - started)
    return best
