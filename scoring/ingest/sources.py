"""The formats `import_signals --format` knows, and what each needs from the command line."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from scoring.ingest.formats import jsonl, snap
from scoring.ingest.records import Source


class SourceError(ValueError):
    """The command line does not describe a readable source."""


def _file(options: dict[str, Any]) -> Path:
    path = options.get("path")
    if path is None:
        raise SourceError(f"--format {options['format']} reads a file: give its path")
    if not Path(path).is_file():
        raise SourceError(f"no such file: {path}")
    return Path(path)


def _jsonl(options: dict[str, Any]) -> Source:
    return jsonl.read(_file(options), options.get("network"))


def _snap(options: dict[str, Any]) -> Source:
    if not options.get("network"):
        raise SourceError("--format snap needs --network: its ids carry no network")
    return snap.read(_file(options), options["network"])


FORMATS: dict[str, Callable[[dict[str, Any]], Source]] = {
    "jsonl": _jsonl,
    "snap": _snap,
}


def open_source(name: str, options: dict[str, Any]) -> Source:
    return FORMATS[name](options)
