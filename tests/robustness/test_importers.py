"""Every importer, driven by Hypothesis with a hostile line (or tweet) between two good ones:
with `--on-error skip` the hostile one is either taken or named with its place and reason, on
one line, and both good ones are imported; with `--on-error stop` it is taken or nothing of
its batch is written."""

import io
import json
import re
import zipfile
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.models import Handle, Interaction, Post
from tests.recorded_server import serving
from tests.robustness.hostile import HUGE_NUMBERS, hostile_json, hostile_text

pytestmark = pytest.mark.django_db
EXAMPLES = 60
EXAMPLE_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMED = re.compile(r"\S[^\n]*: [^\n]+")  # where (file:line, tweet, page#index): why


@contextmanager
def rolled_back():
    """Each example starts from the database the test began with."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def run(path, fmt, on_error, **options):
    out, err = io.StringIO(), io.StringIO()
    paths = [str(path)] if path else []
    call_command(
        "import_signals", *paths, format=fmt, on_error=on_error, stdout=out, stderr=err,
        **options,
    )  # fmt: skip
    return err.getvalue()


def assert_named_or_taken(path, fmt, good_are_in, **options):
    """Skip: everything good is in and every complaint is one named line. Stop: all or
    nothing of the batch."""
    with rolled_back():
        err = run(path, fmt, "skip", **options)
        assert all(NAMED.fullmatch(line) for line in err.splitlines()), err
        assert good_are_in(), err
    with rolled_back():
        try:
            run(path, fmt, "stop", **options)
            taken = True
        except CommandError as error:
            taken, refusal = False, str(error).strip()
        if taken:
            assert good_are_in()
        else:
            assert "\n" not in refusal, refusal
            assert Interaction.objects.count() == Post.objects.count() == 0


def engaged(*pairs):
    """Whether each (actor, target) pair of external ids has its engagement stored."""

    def check():
        handles = dict(Handle.objects.values_list("external_id", "pk"))
        stored = set(Interaction.objects.values_list("actor_id", "target_id"))
        return all((handles.get(a), handles.get(b)) in stored for a, b in pairs)

    return check


def writes_raw(text: str) -> bytes:
    """A line as a broken exporter writes it: no line breaks, lone surrogates as they come."""
    return re.sub(r"[\r\n]", " ", text).encode("utf-8", "surrogatepass")


# --- jsonl --------------------------------------------------------------------------------

HANDLE = {"type": "handle", "network": "twitter", "id": "9", "username": "zed",
          "display_name": "Zed", "followers_count": 5,
          "profile_url": "https://x.com/zed"}  # fmt: skip
POST = {"type": "post", "network": "twitter", "id": "p9", "author": "9",
        "published_at": "2026-11-01T10:00:00Z", "text": "Hi", "likes": 3}  # fmt: skip
INTERACTION = {"type": "interaction", "network": "twitter", "actor": "9", "target": "10",
               "kind": "reply", "occurred_at": "2026-11-01T11:00:00Z"}  # fmt: skip
GOOD_FIRST = {"type": "interaction", "network": "twitter", "actor": "1", "target": "2",
              "kind": "share", "occurred_at": "2026-11-02T09:00:00Z"}  # fmt: skip
GOOD_LAST = {**GOOD_FIRST, "actor": "2", "target": "1", "kind": "mention"}


def one_field_hostile(record):
    return st.builds(
        lambda name, value: json.dumps({**record, name: value}).encode(),
        st.sampled_from(sorted(record)),
        hostile_json,
    )


jsonl_lines = st.one_of(
    *(one_field_hostile(record) for record in (HANDLE, POST, INTERACTION)),
    hostile_text.map(writes_raw),
    st.integers(1, 200_000).map(lambda depth: b"[" * depth + b"]" * depth),
)


@EXAMPLE_SETTINGS
@given(line=jsonl_lines)
def test_jsonl(tmp_path, line):
    path = tmp_path / "signals.jsonl"
    path.write_bytes(
        json.dumps(GOOD_FIRST).encode() + b"\n" + line + b"\n" + json.dumps(GOOD_LAST).encode()
    )

    assert_named_or_taken(path, "jsonl", engaged(("1", "2"), ("2", "1")))


# --- SNAP -----------------------------------------------------------------------------------

snap_tokens = st.one_of(
    hostile_text,
    st.sampled_from([*HUGE_NUMBERS, "RT", "MT", "RE", "CO", "1700000000", "-1700000000"]),
    st.integers(-(10**30), 10**30).map(str),
)
snap_lines = st.lists(snap_tokens, min_size=0, max_size=5).map(lambda t: writes_raw(" ".join(t)))


@EXAMPLE_SETTINGS
@given(line=snap_lines)
def test_snap(tmp_path, line):
    path = tmp_path / "activity.txt"
    path.write_bytes(b"11 22 1700000000 RT\n" + line + b"\n22 11 1700000100 MT\n")

    assert_named_or_taken(path, "snap", engaged(("11", "22"), ("22", "11")), network="twitter")


# --- Twitter archives ---------------------------------------------------------------------

TWEET = {"id_str": "5009", "created_at": "Wed Oct 10 20:19:24 +0000 2018",
         "full_text": "Hi @bo", "favorite_count": "12", "retweet_count": "3",
         "in_reply_to_status_id_str": "4000",
         "in_reply_to_user_id_str": "2002", "in_reply_to_screen_name": "bo",
         "entities": {"user_mentions": [
             {"screen_name": "bo", "name": "Bo", "id_str": "2002"}]}}  # fmt: skip
GOOD_TWEETS = [
    {**TWEET, "id_str": "5001", "entities": {}},
    {**TWEET, "id_str": "5002", "entities": {}},
]
ACCOUNT = [{"account": {"username": "alice", "accountId": "1001", "accountDisplayName": "Alice"}}]


def hostile_mention():
    mention = TWEET["entities"]["user_mentions"][0]
    return st.builds(
        lambda name, value: {**TWEET, "entities": {"user_mentions": [{**mention, name: value}]}},
        st.sampled_from(sorted(mention)),
        hostile_json,
    )


tweets = st.one_of(
    st.builds(
        lambda name, value: {**TWEET, name: value}, st.sampled_from(sorted(TWEET)), hostile_json
    ),
    hostile_mention(),
    hostile_json,
)


@EXAMPLE_SETTINGS
@given(tweet=tweets)
def test_twitter_archive(tmp_path, tweet):
    path = tmp_path / "archive.zip"
    listed = [{"tweet": GOOD_TWEETS[0]}, {"tweet": tweet}, {"tweet": GOOD_TWEETS[1]}]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data/account.js", "window.YTD.account.part0 = " + json.dumps(ACCOUNT))
        archive.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps(listed))

    assert_named_or_taken(
        path, "twitter-archive",
        lambda: Post.objects.filter(external_id__in=["5001", "5002"]).count() == 2,
    )  # fmt: skip


# --- Mastodon -----------------------------------------------------------------------------

STATUSES = "/api/v1/accounts/100/statuses?limit=40"
TWO_DAYS_AGO = (datetime.now(UTC) - timedelta(days=2)).date()


def status(number, **fields):
    return {"id": str(number), "created_at": f"{TWO_DAYS_AGO}T10:00:00.000Z",
            "in_reply_to_id": None, "reblog": None, "content": "<p>Hi</p>", "mentions": [],
            "url": f"https://social.example/@alice/{number}", "favourites_count": 0,
            "reblogs_count": 0, **fields}  # fmt: skip


BOB = {"id": "200", "username": "bob", "acct": "bob", "url": "https://social.example/@bob"}
ROUTES = {
    "/api/v1/accounts/lookup?acct=alice": (
        {"id": "100", "username": "alice", "acct": "alice", "display_name": "Alice",
         "locked": False, "followers_count": 3, "url": "https://social.example/@alice"},
        None,
    ),
}  # fmt: skip
HOSTILE_STATUS = status(9002, mentions=[BOB])
hostile_statuses = st.one_of(
    st.builds(
        lambda name, value: {**HOSTILE_STATUS, name: value},
        st.sampled_from(sorted(HOSTILE_STATUS)),
        hostile_json,
    ),
    st.builds(
        lambda name, value: {**HOSTILE_STATUS, "mentions": [{**BOB, name: value}]},
        st.sampled_from(sorted(BOB)),
        hostile_json,
    ),
    hostile_json,
)


@pytest.fixture(scope="module")
def mastodon():
    with serving(ROUTES) as server:
        yield server


def mentioned_bob_and_carol():
    return Handle.objects.filter(username__in=["bob@127.0.0.1", "carol@127.0.0.1"]).count() == 2


@settings(EXAMPLE_SETTINGS, max_examples=EXAMPLES // 2)
@given(hostile=hostile_statuses)
def test_mastodon(mastodon, hostile):
    good = [status(9003, mentions=[{**BOB, "id": "201", "username": "carol", "acct": "carol"}]),
            status(9001, mentions=[BOB])]  # fmt: skip
    mastodon.routes[STATUSES] = ([good[0], hostile, good[1]], None)

    assert_named_or_taken(
        None, "mastodon", mentioned_bob_and_carol, instance=mastodon.url, account="alice"
    )
