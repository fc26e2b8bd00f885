from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from scoring.ingest.formats import snap
from scoring.ingest.runner import import_source
from scoring.ingest.writer import SignalWriter
from scoring.models import DoNotTrack, Handle, Interaction, InteractionKind, Network, Person

pytestmark = pytest.mark.django_db

LINES = [
    "11 22 1700000000 RT",
    "22 33 1700000100 MT",
    "33 11 1700000200 RE",
    "11 33 1700003600 RT",
]


def write(tmp_path, lines, name="activity.txt"):
    path = tmp_path / name
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


def stored():
    """Every interaction as (actor id, target id, kind, unix seconds), network ids resolved."""
    ids = dict(Handle.objects.values_list("id", "external_id"))
    return sorted(
        (ids[a], ids[t], k, int(at.timestamp()))
        for a, t, k, at in Interaction.objects.values_list(
            "actor_id", "target_id", "kind", "occurred_at"
        )
    )


EXPECTED = [
    ("11", "22", InteractionKind.SHARE, 1700000000),
    ("11", "33", InteractionKind.SHARE, 1700003600),
    ("22", "33", InteractionKind.MENTION, 1700000100),
    ("33", "11", InteractionKind.REPLY, 1700000200),
]


def test_imports_interactions_and_a_handle_for_each_id(tmp_path, import_signals):
    out, err = import_signals(write(tmp_path, LINES), format="snap", network="twitter")

    assert out.startswith("read 4, created 4, duplicates 0, rejected 0, skipped (do not track) 0")
    assert err == ""
    assert stored() == EXPECTED
    handles = Handle.objects.order_by("external_id")
    assert [(h.network, h.external_id, h.username) for h in handles] == [
        (Network.TWITTER, "11", ""),
        (Network.TWITTER, "22", ""),
        (Network.TWITTER, "33", ""),
    ]
    assert len({h.person_id for h in handles}) == 3
    assert Interaction.objects.get(kind=InteractionKind.REPLY).occurred_at == datetime(
        2023, 11, 14, 22, 16, 40, tzinfo=UTC
    )


def test_importing_the_same_file_again_adds_nothing(tmp_path, import_signals):
    path = write(tmp_path, LINES)
    import_signals(path, format="snap", network="twitter")

    out, _ = import_signals(path, format="snap", network="twitter")

    assert out.startswith("read 4, created 0, duplicates 4, rejected 0")
    assert stored() == EXPECTED
    assert Handle.objects.count() == 3


def test_a_bad_line_stops_the_import_and_nothing_of_its_batch_is_written(tmp_path, import_signals):
    path = write(tmp_path, [*LINES[:2], "22 33 yesterday MT", *LINES[2:]])

    with pytest.raises(CommandError, match="stopped at the first bad line"):
        import_signals(path, format="snap", network="twitter", batch_size=10)

    assert Interaction.objects.count() == 0
    assert Handle.objects.count() == 0


def test_batches_before_the_bad_line_stay_written(tmp_path, import_signals, capsys):
    path = write(tmp_path, [*LINES[:2], "22 33 1700000100", *LINES[2:]])

    with pytest.raises(CommandError):
        import_signals(path, format="snap", network="twitter", batch_size=2)

    assert f"{path}:3: expected 4 fields (actor target unix_seconds KIND), found 3" in (
        capsys.readouterr().err
    )
    assert stored() == [EXPECTED[0], EXPECTED[2]]


def test_on_error_skip_reports_every_bad_line_and_imports_the_rest(tmp_path, import_signals):
    path = write(tmp_path, [LINES[0], "11 22 1700000000 LIKE", LINES[1], "x 22 1 RT", *LINES[2:]])

    out, err = import_signals(path, format="snap", network="twitter", on_error="skip")

    assert err.splitlines() == [
        f"{path}:2: unknown kind 'LIKE' (expected RT, MT, RE, CO)",
        f"{path}:4: actor and target must be numeric ids",
    ]
    assert out.startswith("read 6, created 4, duplicates 0, rejected 2")
    assert stored() == EXPECTED


def test_handles_on_the_do_not_track_list_are_skipped(tmp_path, import_signals):
    DoNotTrack.objects.create(network=Network.TWITTER, external_id="33")

    out, _ = import_signals(write(tmp_path, LINES), format="snap", network="twitter")

    assert "skipped (do not track) 3" in out
    assert stored() == [EXPECTED[0]]
    assert not Handle.objects.filter(external_id="33").exists()


def test_snap_needs_a_network(tmp_path, import_signals):
    with pytest.raises(CommandError, match="--format snap needs --network"):
        import_signals(write(tmp_path, LINES), format="snap")


def test_a_missing_file_is_a_clear_error(tmp_path, import_signals):
    with pytest.raises(CommandError, match="no such file"):
        import_signals(tmp_path / "nope.txt", format="snap", network="twitter")


def test_both_bulk_backends_store_the_same_rows_and_skip_the_same_duplicates(tmp_path, bulk):
    path = write(tmp_path, [*LINES, LINES[0]])

    first = import_source(snap.read(path, "mastodon"), writer=SignalWriter(bulk))
    again = import_source(snap.read(path, "mastodon"), writer=SignalWriter(bulk))

    assert (first.counts.created, first.counts.duplicates) == (4, 1)
    assert (again.counts.created, again.counts.duplicates) == (0, 5)
    assert stored() == EXPECTED


def test_a_block_of_many_lines_is_read_without_a_record_per_line(tmp_path):
    path = write(tmp_path, [f"{i} {i + 1} {1700000000 + i} MT" for i in range(1000)])

    lines = list(snap.read(path, "twitter"))

    assert len(lines) == 1
    assert lines[0].location == f"{path}:1"
    assert lines[0].size == 1000
    assert lines[0].record.actor_ids()[999] == "999"
    assert lines[0].record.micros[999] == (1700000000 + 999) * 1_000_000


def test_a_public_id_someone_already_has_is_drawn_again(tmp_path, import_signals, monkeypatch):
    from scoring import models

    taken = Person.objects.create(public_id="aaaaaaaaaa").public_id
    draws = iter([[taken], ["bbbbbbbbbb"], ["cccccccccc"], ["dddddddddd"]])
    monkeypatch.setattr(models, "new_public_ids", lambda count: next(draws)[:count])
    path = write(tmp_path, ["11 22 1700000000 RT"])

    import_signals(path, format="snap", network="twitter")

    assert sorted(Person.objects.values_list("public_id", flat=True)) == [
        "aaaaaaaaaa",
        "bbbbbbbbbb",
        "cccccccccc",
    ]
    assert Handle.objects.count() == 2


def test_non_ascii_digits_and_far_future_times_are_refused(tmp_path, import_signals):
    path = write(tmp_path, [LINES[0], "\u0661 22 1700000000 RT", "11 22 999999999999 RT"])

    _, err = import_signals(path, format="snap", network="twitter", on_error="skip")

    assert err.splitlines() == [
        f"{path}:2: actor and target must be numeric ids",
        f"{path}:3: bad unix time '999999999999'",
    ]
    assert stored() == [EXPECTED[0]]


def test_ids_that_numbers_would_change_keep_their_text(tmp_path, import_signals):
    path = write(tmp_path, ["007 1234567890123456789 1700000000 RT", *LINES])

    import_signals(path, format="snap", network="twitter")

    assert ("007", "1234567890123456789", InteractionKind.SHARE, 1700000000) in stored()


_blanks = st.sampled_from([" ", "\t", "  ", " \t"])
_field = st.one_of(
    st.integers(0, 10**19).map(str),
    st.sampled_from(["007", "0", "RT", "MT", "RE", "rt", "R", "1e3", "-5", "\u0661", ""]),
)
_line = st.tuples(_blanks, _field, _blanks, _field, _blanks, _field, _blanks, _field, _blanks).map(
    "".join
) | st.sampled_from(["", "  ", "1 2 3", "1 2 3 RT 4", "\r"])


_plain_line = st.tuples(
    st.integers(0, 10**18 - 1), st.integers(0, 10**18 - 1), st.integers(0, 10**10 - 1),
    st.sampled_from(list(snap.KINDS)),
).map(lambda fields: " ".join(map(str, fields)))  # fmt: skip


@given(st.lists(_plain_line | _line, max_size=8))
def test_a_block_read_at_once_is_read_as_line_by_line_reading_reads_it(lines):
    data = "".join(f"{line}\n" for line in lines).encode()

    at_once = snap.parse_block(data, "twitter")

    one_by_one = [
        line.record
        for line in snap._line_by_line(Path("f"), 0, data.splitlines(keepends=True), "twitter")
    ]
    if at_once is None:
        return  # not in the plain form: only line by line reads it
    if not len(at_once):
        assert one_by_one == []
        return
    [record] = one_by_one
    assert at_once.actor_ids() == record.actor_ids()
    assert at_once.target_ids() == record.target_ids()
    assert at_once.kinds.tolist() == record.kinds.tolist()
    assert at_once.micros.tolist() == record.micros.tolist()


def test_later_batches_find_the_handles_earlier_ones_wrote(tmp_path, monkeypatch):
    """A block and a batch a line: from the second on, ids come from the import's memory,
    which must give every id the handle the database has for it."""
    monkeypatch.setattr(snap, "BLOCK_BYTES", 1)
    path = write(tmp_path, LINES)
    first = import_source(snap.read(path, "twitter"), batch_size=1)
    again = import_source(snap.read(path, "twitter"), batch_size=1)

    assert (first.counts.created, again.counts.duplicates) == (4, 4)
    assert Handle.objects.count() == 3
    assert stored() == EXPECTED


@pytest.mark.parametrize(
    ("seconds", "day"), [("0", "1970-01-01"), ("9999999999", "2286-11-20"), ("-5", None)]
)
def test_a_time_outside_1995_to_tomorrow_is_named_and_the_rest_imported(
    tmp_path, import_signals, seconds, day
):
    path = write(tmp_path, [LINES[0], f"11 22 {seconds} RT", *LINES[1:]])

    _, err = import_signals(path, format="snap", network="twitter", on_error="skip")

    reason = (
        f"the time is {day}, outside 1995-01-01 to tomorrow"
        if day
        else f"bad unix time '{seconds}'"
    )
    assert err == f"{path}:2: {reason}\n"
    assert stored() == EXPECTED
