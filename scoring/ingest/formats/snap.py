"""SNAP-style activity lists: `actor target unix_seconds KIND` a line, KIND RT (the actor
shared the target's post), MT (mentioned the target), RE (replied to the target) or CO
(commented on the target's post). Ids are
the network's numeric ids; each becomes a handle on --network, its username unknown.

The file is read in blocks of whole lines, each parsed by NumPy at once (`parse_block`), so
that a well-formed file costs no Python work per line. A block it cannot take whole (a bad
line, ids with leading zeros or of 19 digits and more, which must stay text) goes line by
line, and a bad line is found and explained alone."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from scoring.engine.grouping import unique_inverse
from scoring.ingest import checks
from scoring.ingest.known_handles import PLAIN_DIGITS
from scoring.ingest.records import InteractionBlock, Source, SourceLine
from scoring.models import InteractionKind

KINDS = {
    "RT": InteractionKind.SHARE,
    "MT": InteractionKind.MENTION,
    "RE": InteractionKind.REPLY,
    "CO": InteractionKind.COMMENT,
}
BLOCK_BYTES = 4 << 20
_MICROS = 1_000_000
_SECONDS_DIGITS = 10  # times before the year 2286
_KIND_CODES = {ord(k[0]) << 8 | ord(k[1]): int(kind) for k, kind in KINDS.items()}

type Bytes = np.ndarray[Any, np.dtype[np.uint8]]
type Ints = np.ndarray[Any, np.dtype[np.int64]]


def read(path: Path, network: str) -> Source:
    with path.open("rb") as lines:
        number = 0
        while block := lines.readlines(BLOCK_BYTES):
            if block[-1][-1:] != b"\n":
                block[-1] += b"\n"
            location = f"{path}:{number + 1}"
            parsed = parse_block(b"".join(block), network)
            if parsed is not None:
                if len(parsed):
                    yield SourceLine(location, parsed)
            else:
                yield from _line_by_line(path, number, block, network)
            number += len(block)


def parse_block(data: bytes, network: str) -> InteractionBlock | None:
    """The interactions of whole lines, or None unless every line is in the plain form:
    ids of 1 to 18 digits without leading zeros, only ASCII blanks between fields."""
    classes = _CLASS_OF_BYTE[np.frombuffer(data, dtype=np.uint8)]
    if not classes.all():
        return None
    word = (classes >= _DIGIT).view(np.int8)
    edges = np.diff(word, prepend=np.int8(0), append=np.int8(0))
    if np.count_nonzero(edges == 1) % 4:
        return None
    starts = np.flatnonzero(edges == 1).reshape(-1, 4)  # a row of four fields a line
    ends = np.flatnonzero(edges == -1).reshape(-1, 4)
    newlines = np.flatnonzero(classes == _NEWLINE)
    first_line = np.searchsorted(newlines, starts[:, 0])
    last_line = np.searchsorted(newlines, starts[:, 3])
    if not ((first_line == last_line).all() and (first_line[1:] > last_line[:-1]).all()):
        return None  # a line with more or fewer than four fields
    lengths = ends - starts
    text = np.frombuffer(data, dtype=np.uint8)
    kind_codes = text[starts[:, 3]].astype(np.int64) << 8 | text[starts[:, 3] + 1]
    kinds = np.zeros(len(starts), dtype=np.int16)
    for code, kind in _KIND_CODES.items():
        kinds[kind_codes == code] = kind
    ids, seconds = lengths[:, :2], lengths[:, 2]
    if not (
        (lengths[:, 3] == 2).all()
        and kinds.all()
        # two letters a line, all in the kind: the other three fields are digits only
        and np.count_nonzero(classes == _LETTER) == 2 * len(starts)
        and (ids <= PLAIN_DIGITS).all()
        and not ((text[starts[:, :2]] == ord("0")) & (ids > 1)).any()  # leading zeros
        and (seconds <= _SECONDS_DIGITS).all()
    ):
        return None
    unix_seconds = _numbers(text, ends[:, 2], seconds)
    earliest, latest = checks.allowed_seconds()
    if len(unix_seconds) and not earliest <= unix_seconds.min() <= unix_seconds.max() <= latest:
        return None  # a time out of range, which the line-by-line reading names
    actors = _numbers(text, ends[:, 0], ids[:, 0])
    targets = _numbers(text, ends[:, 1], ids[:, 1])
    involved, positions = unique_inverse(np.concatenate([actors, targets]))
    return InteractionBlock(
        network,
        handles=list(map(str, involved.tolist())),
        actors=positions[: len(actors)],
        targets=positions[len(actors) :],
        kinds=kinds,
        micros=unix_seconds * _MICROS,
        numbers=involved,
    )


def _byte_classes() -> Bytes:
    """0 for a byte the plain form never has; what str.split() takes for a blank, a newline,
    a digit or a letter of a kind otherwise."""
    classes = np.zeros(256, dtype=np.uint8)
    classes[[ord(c) for c in " \t\r\x0b\x0c\x1c\x1d\x1e\x1f"]] = _BLANK
    classes[ord("\n")] = _NEWLINE
    classes[ord("0") : ord("9") + 1] = _DIGIT
    classes[[ord(c) for c in "".join(KINDS)]] = _LETTER
    return classes


_BLANK, _NEWLINE, _DIGIT, _LETTER = 1, 2, 3, 4
_CLASS_OF_BYTE = _byte_classes()


def _numbers(text: Bytes, ends: Ints, lengths: Ints) -> Ints:
    """The decimal numbers written just before `ends`, all digit positions at once."""
    width = int(lengths.max(initial=1))
    offsets = np.arange(-width, 0)
    window = text[np.maximum(ends[:, None] + offsets, 0)].astype(np.int64) - ord("0")
    window[-offsets > lengths[:, None]] = 0  # before the number
    return window @ (10 ** np.arange(width - 1, -1, -1, dtype=np.int64))


def _line_by_line(path: Path, number: int, lines: list[bytes], network: str) -> Source:
    good: list[str] = []
    first_good = number + 1
    for offset, raw in enumerate(lines, start=number + 1):
        line = raw.decode("utf-8", errors="replace")
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


def _block(path: Path, number: int, lines: list[str], network: str) -> Source:
    """Lines already checked one by one, whatever their ids."""
    tokens = "".join(lines).split()
    if tokens:
        yield SourceLine(
            f"{path}:{number + 1}",
            InteractionBlock.of_ids(
                network,
                actors=tokens[0::4],
                targets=tokens[1::4],
                kinds=np.array([KINDS[k] for k in tokens[3::4]], dtype=np.int16),
                micros=np.array(tokens[2::4], dtype=np.int64) * _MICROS,
            ),
        )


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
        return f"unknown kind {kind!r} (expected {', '.join(KINDS)})"
    if not (seconds.isdigit() and seconds.isascii() and len(seconds) <= 10):
        return f"bad unix time {seconds!r}"
    earliest, latest = checks.allowed_seconds()
    if not earliest <= int(seconds) <= latest:
        return checks.moment_problem("the time", datetime.fromtimestamp(int(seconds), UTC))
    return None
