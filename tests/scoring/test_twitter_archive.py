import io
import json
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scoring.models import Handle, Interaction, InteractionKind, Post

DATA = Path(__file__).parent / "data" / "twitter"
MENTION, REPLY, SHARE = InteractionKind.MENTION, InteractionKind.REPLY, InteractionKind.SHARE
FIRST = datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)
SECOND = datetime(2018, 10, 11, 6, 0, tzinfo=UTC)  # written as 08:00 +0200
THIRD = datetime(2018, 10, 12, 9, 30, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def make_archive(directory: Path, *names: str) -> Path:
    path = directory / "twitter-archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Your archive.html", "<html></html>")
        for name in names:
            archive.write(DATA / name, f"data/{name}")
    return path


def run_import(path: Path, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_signals", str(path), format="twitter-archive", stdout=out, stderr=err, **options
    )
    return out.getvalue(), err.getvalue()


def handles():
    return list(
        Handle.objects.order_by("external_id").values_list(
            "external_id", "username", "display_name", "profile_url"
        )
    )


def posts():
    return list(
        Post.objects.order_by("external_id").values_list(
            "handle__external_id",
            "external_id",
            "published_at",
            "kind",
            "reported_likes",
            "reported_shares",
            "url",
        )
    )


def interactions():
    return sorted(
        Interaction.objects.values_list(
            "actor__external_id", "target__external_id", "kind", "occurred_at", "post"
        )
    )


def assert_archive_imported():
    assert handles() == [
        ("1001", "alice", "Alice Gardener", "https://x.com/alice"),
        ("2002", "bob", "Bob Builder", ""),
        ("3003", "carol", "Carol", ""),
        ("4004", "dave", "Dave", ""),
    ]
    assert posts() == [
        ("1001", "5001", FIRST, "original", 12, 3, "https://x.com/alice/status/5001"),
        ("1001", "5002", SECOND, "reply", 1, 0, "https://x.com/alice/status/5002"),
        ("1001", "5003", THIRD, "share", 0, 7, "https://x.com/alice/status/5003"),
    ]
    assert Post.objects.get(external_id="5001").text == "Planting day with @bob and @carol"
    assert interactions() == [
        ("1001", "2002", REPLY, SECOND, None),
        ("1001", "2002", MENTION, FIRST, None),
        ("1001", "3003", MENTION, FIRST, None),
        ("1001", "4004", SHARE, THIRD, None),  # the retweet: "RT @dave: …"
    ]


def test_imports_owner_tweets_replies_and_mentions_from_archive_zip(tmp_path):
    archive = make_archive(tmp_path, "account.js", "tweets.js")

    out, _ = run_import(archive, on_error="skip")

    assert out.startswith("read 12, created 11, duplicates 0, rejected 1, ")
    assert_archive_imported()


def test_reimporting_archive_adds_nothing(tmp_path):
    archive = make_archive(tmp_path, "account.js", "tweets.js")
    run_import(archive, on_error="skip")

    out, _ = run_import(archive, on_error="skip")

    assert out.startswith("read 12, created 0, duplicates 11, rejected 1, ")
    assert_archive_imported()


def test_imports_bare_tweets_js_with_account_js_beside_it(tmp_path):
    shutil.copy(DATA / "account.js", tmp_path / "account.js")
    shutil.copy(DATA / "tweets.js", tmp_path / "tweets.js")

    run_import(tmp_path / "tweets.js", on_error="skip")

    assert_archive_imported()


def test_reports_malformed_tweet_by_its_index_and_imports_the_rest(tmp_path):
    archive = make_archive(tmp_path, "account.js", "tweets.js")

    _, err = run_import(archive, on_error="skip")

    assert err == f"{archive}/data/tweets.js#tweet 3: missing id_str\n"
    assert Post.objects.count() == 3


def test_malformed_tweet_stops_import_by_default_and_writes_nothing(tmp_path):
    archive = make_archive(tmp_path, "account.js", "tweets.js")

    with pytest.raises(CommandError, match="import stopped at the first bad line"):
        run_import(archive)

    assert Handle.objects.count() == 0


def test_reads_tweets_parts_after_tweets_js(tmp_path):
    archive = make_archive(tmp_path, "account.js", "tweets.js", "tweets-part1.js")

    run_import(archive, on_error="skip")

    assert Post.objects.filter(external_id="5004").values_list("published_at", "kind").get() == (
        datetime(2018, 10, 14, 11, 0, tzinfo=UTC),
        "original",
    )
    assert Handle.objects.get(external_id="5005").username == "erin"
    assert Post.objects.count() == 4


def test_rejects_file_that_is_not_an_archive_and_writes_nothing(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n")

    with pytest.raises(CommandError) as raised:
        run_import(path)

    assert str(raised.value) == (
        f"{path} does not start with 'window.YTD.tweets.part0 =': "
        "give an X/Twitter archive .zip or its data/tweets.js"
    )
    assert Handle.objects.count() == 0


def test_rejects_zip_without_tweets_js(tmp_path):
    archive = make_archive(tmp_path, "account.js")

    with pytest.raises(CommandError) as raised:
        run_import(archive)

    assert str(raised.value) == f"{archive} has no data/tweets.js: not an X/Twitter archive"
    assert Handle.objects.count() == 0


def test_rejects_bare_tweets_js_without_account_js(tmp_path):
    shutil.copy(DATA / "tweets.js", tmp_path / "tweets.js")

    with pytest.raises(CommandError) as raised:
        run_import(tmp_path / "tweets.js")

    assert str(raised.value) == (
        f"no {tmp_path}/account.js: without it the archive's owner is unknown"
    )
    assert Handle.objects.count() == 0


def archive_of(directory: Path, **tweet) -> Path:
    """An archive with account.js and one tweet with these fields (and an id, a time)."""
    fields = {"id_str": "7001", "created_at": "Wed Oct 10 20:19:24 +0000 2018", **tweet}
    path = directory / "hostile.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(DATA / "account.js", "data/account.js")
        archive.writestr(
            "data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps([{"tweet": fields}])
        )
    return path


def mention(**fields):
    return {"entities": {"user_mentions": [{"id_str": "42", "screen_name": "bob", **fields}]}}


@pytest.mark.parametrize(
    ("tweet", "reason"),
    [
        ({"full_text": "a\x00b"}, "full_text contains a NUL character"),
        ({"full_text": "a\ud800b"}, "full_text holds a lone surrogate at character 2"),
        ({"created_at": "Fri Dec 31 23:59:59 +0000 9999"},
         "created_at is 9999-12-31, outside 1995-01-01 to tomorrow"),
        ({"favorite_count": str(2**64)},
         "favorite_count is not a whole number from 0 to 2,147,483,647: '18446744073709551616'"),
        ({"id_str": "7" * 101}, "id_str is longer than 30 characters"),
        (mention(screen_name="b" * 101), "screen_name is longer than 100 characters"),
        (mention(name="n" * 201), "name is longer than 200 characters"),
    ],
)  # fmt: skip
def test_hostile_tweets_are_named_and_nothing_else_is_lost(tmp_path, tweet, reason):
    archive = archive_of(tmp_path, **tweet)

    _, err = run_import(archive, on_error="skip")

    assert err == f"{archive}/data/tweets.js#tweet 0: {reason}\n"
    assert Post.objects.count() == 0
    assert Handle.objects.count() == 1  # the owner, from account.js


def test_an_archive_that_unpacks_past_reason_is_refused_before_anything_is_read(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(DATA / "account.js", "data/account.js")
        archive.writestr("data/tweets.js", "window.YTD.tweets.part0 = [" + " " * 2**24 + "]")

    with pytest.raises(CommandError, match=r"data/tweets\.js unpacks to 16 MB from 16 KB"):
        run_import(path)

    assert Handle.objects.count() == 0


def test_a_data_file_past_the_limit_is_cut_off_and_named(tmp_path, monkeypatch):
    from scoring.ingest.formats import twitter_archive

    monkeypatch.setattr(twitter_archive, "MAX_DATA_FILE_BYTES", 1000)
    for name in ("account.js", "tweets.js"):
        shutil.copy(DATA / name, tmp_path / name)

    _, err = run_import(tmp_path / "tweets.js", on_error="skip")

    assert err == f"{tmp_path / 'tweets.js'}: unpacks to more than 1,000 bytes\n"
    assert Post.objects.count() == 0
