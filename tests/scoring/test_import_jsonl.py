import json

import pytest
from django.core.management.base import CommandError

from scoring.ingest.formats import jsonl
from scoring.ingest.runner import import_source
from scoring.ingest.writer import SignalWriter
from scoring.models import Handle, Interaction, InteractionKind, Post, PostKind, Topic

pytestmark = pytest.mark.django_db

ALICE = {"type": "handle", "network": "twitter", "id": "1", "username": "@Alice",
         "display_name": "Alice A.", "followers_count": 120}  # fmt: skip
BOB = {"type": "handle", "network": "twitter", "id": "2", "username": "bob", "private": True}
POST = {"type": "post", "network": "twitter", "id": "p1", "author": "1",
        "published_at": "2026-11-01T10:00:00Z", "text": "Launch day", "likes": 3,
        "topics": ["coffee"]}  # fmt: skip
SHARE = {"type": "interaction", "network": "twitter", "actor": "2", "target": "1",
         "kind": "share", "post": "p1", "occurred_at": "2026-11-01T11:00:00+01:00"}  # fmt: skip
MENTION = {"type": "interaction", "network": "twitter", "actor": "1", "target": "3",
           "kind": "mention", "occurred_at": "2026-11-02T09:30:00.250000Z"}  # fmt: skip


def write(tmp_path, records):
    path = tmp_path / "signals.jsonl"
    path.write_text("".join(json.dumps(r) if isinstance(r, dict) else r for r in records))
    return path


def lines(*records):
    return [json.dumps(r) + "\n" if isinstance(r, dict) else r for r in records]


@pytest.fixture
def coffee(db):
    return Topic.objects.get_or_create(slug="coffee", defaults={"name": "Coffee"})[0]


def test_imports_handles_posts_and_interactions(tmp_path, import_signals, coffee):
    path = write(tmp_path, lines(ALICE, BOB, POST, SHARE, MENTION))

    out, err = import_signals(path, format="jsonl")

    assert err == ""
    assert out.startswith("read 5, created 5, duplicates 0, rejected 0")
    alice = Handle.objects.get(external_id="1")
    assert (alice.username, alice.username_key, alice.display_name) == (
        "Alice",
        "alice",
        "Alice A.",
    )
    assert alice.followers_count == 120
    assert Handle.objects.get(external_id="2").is_private is True
    assert Handle.objects.get(external_id="3").username == ""
    post = Post.objects.get()
    assert (post.handle, post.text, post.kind, post.reported_likes) == (
        alice,
        "Launch day",
        PostKind.ORIGINAL,
        3,
    )
    assert list(post.topics.all()) == [coffee]
    share = Interaction.objects.get(kind=InteractionKind.SHARE)
    assert (share.actor.external_id, share.target_id, share.post_id) == ("2", alice.pk, post.pk)
    assert share.occurred_at.isoformat() == "2026-11-01T10:00:00+00:00"
    mention = Interaction.objects.get(kind=InteractionKind.MENTION)
    assert mention.occurred_at.isoformat() == "2026-11-02T09:30:00.250000+00:00"


def test_importing_again_adds_nothing(tmp_path, import_signals, coffee):
    path = write(tmp_path, lines(ALICE, BOB, POST, SHARE, MENTION))
    import_signals(path, format="jsonl")

    out, _ = import_signals(path, format="jsonl")

    assert out.startswith("read 5, created 0, duplicates 5, rejected 0")
    assert (Handle.objects.count(), Post.objects.count(), Interaction.objects.count()) == (3, 1, 2)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json\n", "not JSON: Expecting property name enclosed in double quotes at column 2"),
        ("[1, 2]\n", "expected a JSON object"),
        ('{"type": "vote"}\n', "unknown type 'vote' (expected handle, post or interaction)"),
        ('{"type": "handle", "id": "9", "username": "x"}\n', "missing field 'network'"),
        ('{"type": "handle", "network": "myspace", "id": "9", "username": "x"}\n',
         "unknown network 'myspace'"),
        ('{"type": "handle", "network": "twitter", "id": "9", "username": "x", "age": 3}\n',
         "unknown field(s): age"),
        ('{"type": "handle", "network": "twitter", "id": "9", "username": "x", '
         '"followers_count": -1}\n',
         "field 'followers_count' must be a whole number from 0 to 2,147,483,647"),
        ('{"type": "interaction", "network": "twitter", "actor": "1", "target": "2", '
         '"kind": "poke", "occurred_at": "2026-11-01T10:00:00Z"}\n',
         "unknown interaction kind 'poke' (expected share, reply, comment, mention, like)"),
        ('{"type": "interaction", "network": "twitter", "actor": "1", "target": "2", '
         '"kind": "like", "occurred_at": "2026-11-01T10:00:00"}\n',
         "field 'occurred_at' needs a time zone, e.g. 2026-11-01T10:00:00Z"),
    ],
)  # fmt: skip
def test_a_malformed_line_is_reported_with_its_reason(
    tmp_path, import_signals, capsys, line, reason
):
    path = write(tmp_path, [*lines(ALICE), line, *lines(BOB)])

    with pytest.raises(CommandError):
        import_signals(path, format="jsonl")

    assert capsys.readouterr().err == f"{path}:2: {reason}\n"
    assert Handle.objects.count() == 0


def test_engagement_with_an_unknown_post_is_refused_and_skip_goes_on(tmp_path, import_signals):
    path = write(tmp_path, lines(ALICE, BOB, SHARE, MENTION))

    out, err = import_signals(path, format="jsonl", on_error="skip")

    assert err == (
        f"{path}:3: post p1 of twitter id 1 is unknown: import a post before engagement with it\n"
    )
    assert out.startswith("read 4, created 3, duplicates 0, rejected 1")
    assert Interaction.objects.get().kind == InteractionKind.MENTION


def test_an_unknown_topic_is_refused(tmp_path, import_signals, capsys):
    path = write(tmp_path, lines(ALICE, {**POST, "topics": ["coffee", "no-such-topic"]}))

    with pytest.raises(CommandError):
        import_signals(path, format="jsonl")

    assert capsys.readouterr().err == f"{path}:2: unknown topic(s): no-such-topic\n"
    assert not Post.objects.exists()


def test_a_username_that_belongs_to_another_id_is_refused(tmp_path, import_signals, capsys):
    import_signals(write(tmp_path, lines(ALICE)), format="jsonl")
    impostor = {**ALICE, "id": "666", "username": "ALICE"}

    with pytest.raises(CommandError):
        import_signals(write(tmp_path, lines(impostor)), format="jsonl")

    assert "username @ALICE already belongs to twitter id 1" in capsys.readouterr().err
    assert Handle.objects.count() == 1


def test_the_network_option_is_the_default_network(tmp_path):
    path = write(tmp_path, ['{"type": "handle", "id": "7", "username": "zed"}\n'])

    (line,) = jsonl.read(path, "mastodon")

    assert line.record.network == "mastodon"


def test_both_bulk_backends_store_the_same_rows(tmp_path, bulk, coffee):
    path = write(tmp_path, lines(ALICE, BOB, POST, SHARE, MENTION))

    summary = import_source(jsonl.read(path, None), writer=SignalWriter(bulk))

    assert (summary.counts.created, summary.rejected) == (5, 0)
    assert Post.objects.get().topics.get() == coffee
    assert Interaction.objects.count() == 2


def test_a_handle_known_by_id_gets_its_username_when_described_later(tmp_path, import_signals):
    import_signals(write(tmp_path, lines(MENTION)), format="jsonl")
    carol = {"type": "handle", "network": "twitter", "id": "3", "username": "carol",
             "display_name": "Carol C."}  # fmt: skip

    out, _ = import_signals(write(tmp_path, lines(carol, ALICE)), format="jsonl")

    assert out.startswith("read 2, created 0, duplicates 2, rejected 0")
    handle = Handle.objects.get(external_id="3")
    assert (handle.username, handle.username_key, handle.display_name) == (
        "carol",
        "carol",
        "Carol C.",
    )


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("display_name", "a\u0000b", "field 'display_name' contains a NUL character"),
        ("followers_count", 3_000_000_000,
         "field 'followers_count' must be a whole number from 0 to 2,147,483,647"),
    ],
)  # fmt: skip
def test_values_the_database_cannot_hold_are_refused(tmp_path, import_signals, capsys, field,
                                                      value, reason):  # fmt: skip
    path = write(tmp_path, lines({**ALICE, field: value}))

    with pytest.raises(CommandError):
        import_signals(path, format="jsonl")

    assert capsys.readouterr().err == f"{path}:1: {reason}\n"


def test_control_characters_in_a_display_name_become_spaces(tmp_path, import_signals):
    named = {**ALICE, "display_name": "Alice\x0bA.\x01\r\n\u2028 Smith\x7f"}

    import_signals(write(tmp_path, lines(named)), format="jsonl")

    assert Handle.objects.get().display_name == "Alice A. Smith"
    assert Handle.objects.get().person.display_name == "Alice A. Smith"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"type": "handle", "network": "twitter", "id": "9", "username": "x\\ud800"}\n',
         "field 'username' holds a lone surrogate at character 2"),
        ("[" * 200_000 + "]" * 200_000 + "\n", "not JSON: nested too deeply"),
        (json.dumps({**SHARE, "occurred_at": "9999-12-31T23:59:59Z"}) + "\n",
         "field 'occurred_at' is 9999-12-31, outside 1995-01-01 to tomorrow"),
        (json.dumps({**POST, "published_at": "1712-05-01T00:00:00+00:00"}) + "\n",
         "field 'published_at' is 1712-05-01, outside 1995-01-01 to tomorrow"),
        (json.dumps({**ALICE, "profile_url": "javascript:alert(1)"}) + "\n",
         "profile_url must be an http(s) address"),
        (json.dumps({**POST, "url": "data:text/html,x"}) + "\n",
         "url must be an http(s) address"),
    ],
)  # fmt: skip
def test_hostile_lines_are_named_and_skip_goes_on(tmp_path, import_signals, line, reason):
    path = write(tmp_path, [*lines(ALICE), line, *lines(BOB)])

    _, err = import_signals(path, format="jsonl", on_error="skip")

    assert err == f"{path}:2: {reason}\n"
    assert sorted(Handle.objects.values_list("external_id", flat=True)) == ["1", "2"]
