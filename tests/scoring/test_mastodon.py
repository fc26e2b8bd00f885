import io
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scoring.models import Handle, Interaction, InteractionKind, Post

pytestmark = pytest.mark.django_db

NOW = datetime.now(UTC).replace(microsecond=0)
DAY_1, DAY_2, DAY_3 = (NOW - timedelta(days=n) for n in (1, 2, 3))
OLD = NOW - timedelta(days=100)  # outside the 90-day scoring window
HOST = "127.0.0.1"
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


class FakeInstance(ThreadingHTTPServer):
    """Answers exactly its routes, 404 otherwise; HTTP 429 with the given headers while a
    path's count in `throttled` lasts."""

    def __init__(self):
        super().__init__((HOST, 0), InstanceHandler)
        self.url = f"http://{HOST}:{self.server_address[1]}"
        self.routes = dict(ROUTES)
        self.requests = []
        past = mastodon_time(NOW - timedelta(minutes=1))
        self.throttled = {
            FAVOURITED: [1, {"X-RateLimit-Reset": past}],
            REBLOGGED: [1, {"Retry-After": "0"}],
        }


class InstanceHandler(BaseHTTPRequestHandler):
    server: FakeInstance

    def do_GET(self):
        self.server.requests.append((self.path, self.headers["User-Agent"]))
        throttled = self.server.throttled.get(self.path, [0, {}])
        if throttled[0]:
            throttled[0] -= 1
            self.answer(429, {"error": "Too many requests"}, throttled[1])
        elif self.path in self.server.routes:
            body, next_path = self.server.routes[self.path]
            link = {"Link": f'<{self.server.url}{next_path}>; rel="next"'} if next_path else {}
            self.answer(200, body, link)
        else:
            self.answer(404, {"error": "Record not found"}, {})

    def answer(self, status, body, headers):
        content = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def instance():
    server = FakeInstance()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


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
