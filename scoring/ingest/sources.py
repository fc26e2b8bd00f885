"""The formats `import_signals --format` knows, and what each needs from the command line."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from scoring.ingest import mastodon
from scoring.ingest.bluesky import backfill
from scoring.ingest.formats import jsonl, snap, twitter_archive
from scoring.ingest.records import Source, SourceError
from scoring.models import Network


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


def _twitter_archive(options: dict[str, Any]) -> Source:
    _only_network(options, Network.TWITTER)
    return twitter_archive.read(_file(options), Network.TWITTER)


def _mastodon(options: dict[str, Any]) -> Source:
    _only_network(options, Network.MASTODON)
    if options.get("path") is not None:
        raise SourceError("--format mastodon reads an instance's API, not a file: drop the path")
    if not options.get("instance") or not options.get("account"):
        raise SourceError(
            "--format mastodon needs --instance (e.g. https://mastodon.social) and --account"
        )
    return mastodon.read(options["instance"], options["account"])


def _bluesky(options: dict[str, Any]) -> Source:
    _only_network(options, Network.BLUESKY)
    if options.get("path") is not None:
        raise SourceError("--format bluesky reads Bluesky's AppView API, not a file: drop the path")
    if not options.get("account"):
        raise SourceError("--format bluesky needs --account (e.g. alice.bsky.social)")
    return backfill.read(options["account"])


def _only_network(options: dict[str, Any], network: str) -> None:
    given = options.get("network")
    if given and given != network:
        raise SourceError(f"--format {options['format']} reads {network} only, not {given}")


FORMATS: dict[str, Callable[[dict[str, Any]], Source]] = {
    "jsonl": _jsonl,
    "snap": _snap,
    "twitter-archive": _twitter_archive,
    "mastodon": _mastodon,
    "bluesky": _bluesky,
}


def open_source(name: str, options: dict[str, Any]) -> Source:
    return FORMATS[name](options)
