"""SNAP-style activity lists: `actor target unix_seconds KIND` a line, KIND RT (the actor
shared the target's post), MT (mentioned the target) or RE (replied to the target). Ids are
the network's numeric ids; each becomes a handle on --network, its username unknown.

Lines are read in blocks and checked with one regular expression per block, so that a
well-formed file costs no Python work per line; a bad line is found and explained alone."""

import re
from pathlib import Path

import numpy as np

from scoring.ingest.records import InteractionBlock, Source, SourceLine
from scoring.models import InteractionKind

KINDS = {"RT": InteractionKind.SHARE, "MT": InteractionKind.MENTION, "RE": InteractionKind.REPLY}
BLOCK_BYTES = 4 << 20
_LINE = r"[ \t]*[0-9]{1,19}[ \t]+[0-9]{1,19}[ \t]+[0-9]{1,10}[ \t]+(?:RT|MT|RE)[ \t]*\r?\n"
_GOOD_BLOCK = re.compile(rf"(?:{_LINE}|[ \t\r]*\n)*")  # times before the year 2286
_MICROS = 1_000_000


def read(path: Path, network: str) -> Source:
    with path.open(encoding="utf-8", errors="replace", newline="") as lines:
        number = 0
        while block := lines.readlines(BLOCK_BYTES):
            if block[-1][-1:] != "\n":
                block[-1] += "\n"
            if _GOOD_BLOCK.fullmatch("".join(block)):
                yield from _block(path, number, block, network)
            else:
                yield from _line_by_line(path, number, block, network)
            number += len(block)


def _block(path: Path, number: int, lines: list[str], network: str) -> Source:
    tokens = "".join(lines).split()
    kinds = tokens[3::4]
    if tokens:
        yield SourceLine(
            f"{path}:{number + 1}",
            InteractionBlock(
                network,
                actors=tokens[0::4],
                targets=tokens[1::4],
                kinds=np.array([KINDS[k] for k in kinds], dtype=np.int16),
                micros=np.array(tokens[2::4], dtype=np.int64) * _MICROS,
            ),
        )


def _line_by_line(path: Path, number: int, lines: list[str], network: str) -> Source:
    good: list[str] = []
    first_good = number + 1
    for offset, line in enumerate(lines, start=number + 1):
        error = _problem(line)
        if error is None:
            if not good:
                first_good = offset
            good.append(line)
            continue
        yield from _block(path, first_good - 1, good, network)
        good = []
        yield SourceLine(f"{path}:{offset}", error=error)
    yield from _block(path, first_good - 1, good, network)


def _problem(line: str) -> str | None:
    parts = line.split()
    if not parts:
        return None
    if len(parts) != 4:
        return f"expected 4 fields (actor target unix_seconds KIND), found {len(parts)}"
    actor, target, seconds, kind = parts
    if not (actor.isdigit() and target.isdigit() and actor.isascii() and target.isascii()):
        return "actor and target must be numeric ids"
    if max(len(actor), len(target)) > 100:
        return "ids are at most 100 digits long"
    if kind not in KINDS:
        return f"unknown kind {kind!r} (expected RT, MT or RE)"
    if not (seconds.isdigit() and seconds.isascii() and len(seconds) <= 10):
        return f"bad unix time {seconds!r}"
    return None
