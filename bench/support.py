"""What every benchmark needs: a fresh, migrated database, a description of the machine, and
processes timed with their peak memory."""

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
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


def measured_process(
    command: list[str], env: dict[str, str], memory_cap: int | None = None
) -> dict[str, Any]:
    """Run `command` in this checkout: the JSON of its last line of output if it printed one,
    with its wall seconds (in place of any it said), the peak memory of its process tree,
    whether it succeeded, and its last line of errors if it failed. With `memory_cap` (bytes)
    its address space is capped, so that a run past it fails with a MemoryError rather than
    meet the OOM killer."""
    capped = None if memory_cap is None else lambda: _cap(memory_cap)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=capped)  # fmt: skip
    peak = PeakMemory(process.pid)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    peak.stop()
    last = (stdout.strip().splitlines() or [""])[-1]
    result: dict[str, Any] = json.loads(last) if last.startswith("{") else {}
    result.update(ok=process.returncode == 0, seconds=round(seconds, 1),
                  peak_mb=round(peak.megabytes))  # fmt: skip
    if process.returncode:
        result["error"] = (stderr.strip().splitlines() or [f"exit {process.returncode}"])[-1]
    return result


def _cap(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class PeakMemory:
    """The largest sum of resident memory over a process and its descendants, sampled."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.megabytes = 0.0
        self._pid, self._every = pid, every
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.wait(self._every):
            total = sum(rss_kb(pid) for pid in _tree(self._pid)) / 1024
            self.megabytes = max(self.megabytes, total)


def _tree(root: int) -> list[int]:
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        queue.extend(int(child) for child in children)
    return found


def rss_kb(pid: int) -> int:
    """A process's resident memory, 0 once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines()
                 if line.startswith("VmRSS")), 0)  # fmt: skip
