import io
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from urllib3 import HTTPResponse

from scoring.ingest import mastodon
from scoring.models import Handle, Interaction, InteractionKind, Post
from tests.recorded_server import serving

pytestmark = pytest.mark.django_db

NOW = datetime.now(UTC).replace(microsecond=0)
DAY_1, DAY_2, DAY_3 = (NOW - timedelta(days=n) for n in (1, 2, 3))
OLD = NOW - timedelta(days=100)  # outside the 90-day scoring window
LIKE, SHARE, MENTION = InteractionKind.LIKE, InteractionKind.SHARE, InteractionKind.MENTION


def mastodon_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


ALICE = {"id": "100", "username": "alice", "acct": "alice", "display_name": "Alice",
         "locked": False, "followers_count": 42, "url": "https://social.example/@alice",
         "avatar": "https://files.social.example/alice.png"}  # fmt: skip
BOB = {"id": "200", "username": "bob", "acct": "bob", "display_name": "Bob",
       "locked": False, "followers_count": 5, "url": "https://social.example/@bob"}  # fmt: skip
CAROL = {"id": "300", "username": "carol", "acct": "carol@other.example",
         "display_name": "Carol", "locked": False, "followers_count": 9,
         "url": "https://other.example/@carol"}  # fmt: skip
DAVE = {"id": "400", "username": "dave", "acct": "dave", "display_name": "Dave",
        "locked": True, "followers_count": 0, "url": "https://social.example/@dave"}  # fmt: skip


def mention(account):
    return {key: account[key] for key in ("id", "username", "acct", "url")}


STATUS_LIKED = {
    "id": "9003", "created_at": mastodon_time(DAY_1), "in_reply_to_id": None, "reblog": None,
    "url": "https://social.example/@alice/9003",
    "content": '<p>Hello <span class="h-card"><a href="https://other.example/@carol" '
               'class="u-url mention">@<span>carol</span></a></span> &amp; friends</p>'
               "<p>Second line<br />third</p>",
    "mentions": [mention(CAROL)], "favourites_count": 3, "reblogs_count": 1,
}  # fmt: skip
STATUS_REPLY = {
    "id": "9002", "created_at": mastodon_time(DAY_2), "in_reply_to_id": "8000",
    "in_reply_to_account_id": "200", "reblog": None, "url": "https://social.example/@alice/9002",
    "content": "<p>@bob thanks!</p>", "mentions": [mention(BOB), mention(ALICE)],
    "favourites_count": 0, "reblogs_count": 0,
}  # fmt: skip
STATUS_REBLOG = {
    "id": "9001", "created_at": mastodon_time(DAY_3), "in_reply_to_id": None, "url": None,
    "content": "", "mentions": [], "favourites_count": 0, "reblogs_count": 0,
    "reblog": {"id": "7000", "content": "<p>Compost is gold</p>",
               "url": "https://other.example/@carol/7000"},
}  # fmt: skip
STATUS_OLD = {
    "id": "9000", "created_at": mastodon_time(OLD), "in_reply_to_id": None, "reblog": None,
    "url": "https://social.example/@alice/9000", "content": "<p>Long ago</p>", "mentions": [],
    "favourites_count": 5, "reblogs_count": 0,
}  # fmt: skip

STATUSES = "/api/v1/accounts/100/statuses?limit=40"
FAVOURITED = "/api/v1/statuses/9003/favourited_by?limit=40"
REBLOGGED = "/api/v1/statuses/9003/reblogged_by?limit=40"
# path and query → (JSON body, the path of the next page or None)
ROUTES = {
    "/api/v1/accounts/lookup?acct=alice": (ALICE, None),
    STATUSES: ([STATUS_LIKED, STATUS_REPLY], f"{STATUSES}&max_id=9002"),
    f"{STATUSES}&max_id=9002": ([STATUS_REBLOG, STATUS_OLD], f"{STATUSES}&max_id=9000"),
    f"{STATUSES}&max_id=9000": ([], None),
    FAVOURITED: ([BOB], f"{FAVOURITED}&max_id=51"),
    f"{FAVOURITED}&max_id=51": ([CAROL, ALICE], None),  # Alice's own favourite counts not
    REBLOGGED: ([DAVE], None),
}


@pytest.fixture
def instance():
    past = mastodon_time(NOW - timedelta(minutes=1))
    throttled = {
        FAVOURITED: [1, {"X-RateLimit-Reset": past}],
        REBLOGGED: [1, {"Retry-After": "0"}],
    }
    with serving(ROUTES, throttled) as server:
        yield server


def run_import(*options: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_signals", "--format", "mastodon", *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def handles():
    return list(
        Handle.objects.order_by("external_id").values_list(
            "external_id",
            "username",
            "display_name",
            "avatar_url",
            "profile_url",
            "is_private",
            "followers_count",
        )
    )


def posts():
    return list(
        Post.objects.order_by("external_id").values_list(
            "handle__external_id",
            "external_id",
            "published_at",
            "kind",
            "text",
            "url",
            "reported_likes",
            "reported_shares",
        )
    )


def interactions():
    return sorted(
        Interaction.objects.values_list(
            "actor__external_id", "target__external_id", "kind", "occurred_at", "post__external_id"
        )
    )


def test_imports_account_statuses_likes_shares_and_mentions(instance):
    out, err = run_import("--instance", instance.url, "--account", "alice")

    assert err == ""
    assert out.startswith("read 12, created 12, duplicates 0, rejected 0, ")
    assert handles() == [
        ("alice@127.0.0.1", "alice@127.0.0.1", "Alice", "https://files.social.example/alice.png",
         "https://social.example/@alice", False, 42),
        ("bob@127.0.0.1", "bob@127.0.0.1", "Bob", "", "https://social.example/@bob", False, 5),
        ("carol@other.example", "carol@other.example", "", "",
         "https://other.example/@carol", False, 0),
        ("dave@127.0.0.1", "dave@127.0.0.1", "Dave", "", "https://social.example/@dave", True, 0),
    ]  # fmt: skip
    assert posts() == [
        ("alice@127.0.0.1", "9001", DAY_3, "share", "Compost is gold",
         "https://other.example/@carol/7000", 0, 0),
        ("alice@127.0.0.1", "9002", DAY_2, "reply", "@bob thanks!",
         "https://social.example/@alice/9002", 0, 0),
        ("alice@127.0.0.1", "9003", DAY_1, "original",
         "Hello @carol & friends\n\nSecond line\nthird",
         "https://social.example/@alice/9003", 3, 1),
    ]  # fmt: skip
    assert interactions() == [
        ("alice@127.0.0.1", "bob@127.0.0.1", MENTION, DAY_2, None),
        ("alice@127.0.0.1", "carol@other.example", MENTION, DAY_1, None),
        ("bob@127.0.0.1", "alice@127.0.0.1", LIKE, DAY_1, "9003"),
        ("carol@other.example", "alice@127.0.0.1", LIKE, DAY_1, "9003"),
        ("dave@127.0.0.1", "alice@127.0.0.1", SHARE, DAY_1, "9003"),
    ]


def test_retries_after_http_429_and_pages_through_link_headers(instance):
    run_import("--instance", instance.url, "--account", "alice")

    assert instance.requests == [
        ("/api/v1/accounts/lookup?acct=alice", "Sway/1.0 (+https://sway.example)"),
        (STATUSES, "Sway/1.0 (+https://sway.example)"),
        (FAVOURITED, "Sway/1.0 (+https://sway.example)"),  # answered 429
        (FAVOURITED, "Sway/1.0 (+https://sway.example)"),
        (f"{FAVOURITED}&max_id=51", "Sway/1.0 (+https://sway.example)"),
        (REBLOGGED, "Sway/1.0 (+https://sway.example)"),  # answered 429
        (REBLOGGED, "Sway/1.0 (+https://sway.example)"),
        (f"{STATUSES}&max_id=9002", "Sway/1.0 (+https://sway.example)"),
    ]


def test_gives_up_after_five_retries_when_still_rate_limited(instance):
    lookup = "/api/v1/accounts/lookup?acct=alice"
    instance.throttled[lookup] = [6, {"Retry-After": "0"}]

    with pytest.raises(CommandError) as raised:
        run_import("--instance", instance.url, "--account", "alice")

    assert str(raised.value) == (
        f"{instance.url}{lookup}: still rate limited (HTTP 429) after 5 retries"
    )
    assert [path for path, _ in instance.requests] == [lookup] * 6
    assert Handle.objects.count() == 0


def test_a_429_is_retried_after_the_seconds_it_asks_for(instance):
    instance.throttled["/api/v1/accounts/lookup?acct=alice"] = [1, {"Retry-After": "1"}]
    started = time.monotonic()

    mastodon.read(instance.url, "alice")  # looks the account up at once

    assert 1 <= time.monotonic() - started < 3  # not the 5 s of a 429 that does not say
    assert len(instance.requests) == 2


@pytest.mark.parametrize(
    ("retry_after", "reset_in", "seconds"),
    [
        ("30", None, 30),
        ("3600", None, 60),  # a minute at most
        (None, 20, 20),  # Mastodon's X-RateLimit-Reset, without Retry-After
        (None, -60, 0),
        (None, 3600, 60),
        ("soon", 20, 20),
        (None, None, 5),  # a 429 that does not say
    ],
)
def test_a_429_is_waited_for_as_its_headers_ask(retry_after, reset_in, seconds):
    headers = {"Retry-After": retry_after} if retry_after else {}
    if reset_in is not None:
        reset = datetime.now(UTC) + timedelta(seconds=reset_in)
        headers["X-RateLimit-Reset"] = reset.isoformat()
    answer = HTTPResponse(status=429, headers=headers)

    assert mastodon._RateLimitRetry().get_retry_after(answer) == pytest.approx(seconds, abs=1)


def test_stops_at_statuses_older_than_the_scoring_window(instance):
    run_import("--instance", instance.url, "--account", "alice")

    assert not Post.objects.filter(external_id="9000").exists()
    requested = [path for path, _ in instance.requests]
    assert f"{STATUSES}&max_id=9000" not in requested
    assert "/api/v1/statuses/9000/favourited_by?limit=40" not in requested


def test_reimporting_account_adds_nothing(instance):
    run_import("--instance", instance.url, "--account", "alice")

    out, _ = run_import("--instance", instance.url, "--account", "@alice")

    assert out.startswith("read 12, created 0, duplicates 12, rejected 0, ")
    assert (Handle.objects.count(), Post.objects.count(), Interaction.objects.count()) == (4, 3, 5)


def test_unknown_account_fails_naming_the_url_and_writes_nothing(instance):
    with pytest.raises(CommandError) as raised:
        run_import("--instance", instance.url, "--account", "nobody")

    assert str(raised.value) == (
        f"{instance.url}/api/v1/accounts/lookup?acct=nobody: HTTP 404 (Not Found)"
    )
    assert Handle.objects.count() == 0


def test_failed_request_is_reported_at_its_url_and_the_rest_imported(instance):
    del instance.routes[f"{STATUSES}&max_id=9002"]

    out, err = run_import("--instance", instance.url, "--account", "alice", "--on-error", "skip")

    assert err == f"{instance.url}{STATUSES}&max_id=9002: HTTP 404 (Not Found)\n"
    assert out.startswith("read 12, created 11, duplicates 0, rejected 1, ")
    assert list(Post.objects.order_by("external_id").values_list("external_id", flat=True)) == [
        "9002",
        "9003",
    ]


def test_requires_instance_and_account():
    with pytest.raises(CommandError) as raised:
        run_import("--account", "alice")

    assert str(raised.value) == (
        "--format mastodon needs --instance (e.g. https://mastodon.social) and --account"
    )


def test_rejects_instance_that_is_not_an_http_url():
    with pytest.raises(CommandError) as raised:
        run_import("--instance", "file:///etc/passwd", "--account", "alice")

    assert str(raised.value) == (
        "--instance must be an http(s) URL such as https://mastodon.social, "
        "not 'file:///etc/passwd'"
    )


COUNT_RANGE = "must be a whole number from 0 to 2,147,483,647"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"mentions": 5}, "mentions is not a list"),
        ({"favourites_count": -3}, f"favourites_count {COUNT_RANGE}"),
        ({"reblogs_count": 2**63}, f"reblogs_count {COUNT_RANGE}"),
        ({"content": "<p>a\x00b</p>"}, "content contains a NUL character"),
        ({"id": "9\ud800"}, "id holds a lone surrogate at character 2"),
    ],
)  # fmt: skip
def test_a_hostile_status_is_named_and_the_others_imported(instance, fields, reason):
    instance.routes[STATUSES] = ([{**STATUS_LIKED, **fields}, STATUS_REPLY], None)

    _, err = run_import("--instance", instance.url, "--account", "alice", "--on-error", "skip")

    assert err == f"{instance.url}{STATUSES}#0: {reason}\n"
    assert Post.objects.filter(external_id="9002").exists()
