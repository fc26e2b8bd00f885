"""The daily refresh of verified Mastodon accounts, against local servers that answer as
Mastodon's API does (tests/recorded_server.py)."""

import logging
import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings

from marketplace.models import User
from marketplace.queueing import registered_task
from scoring.ingest import mastodon
from scoring.models import (
    DoNotTrack,
    Handle,
    Interaction,
    InteractionKind,
    MastodonCursor,
    Person,
    Post,
    Verification,
)
from scoring.services.mastodon_refresh import mastodon_refresh
from scoring.tasks import mastodon_refresh_task
from tests.recorded_server import serving

pytestmark = pytest.mark.django_db

HOST, OTHER_HOST, SLOW_HOST = "social.example", "other.example", "slow.example"
NOW = datetime.now(UTC).replace(microsecond=0)
HOUR_AGO, DAY_1, DAY_2 = NOW - timedelta(hours=1), NOW - timedelta(days=1), NOW - timedelta(days=2)
OLD = NOW - timedelta(days=100)  # outside the 90-day window
LIKE, SHARE, MENTION = InteractionKind.LIKE, InteractionKind.SHARE, InteractionKind.MENTION


def account(number, acct):
    return {"id": str(number), "username": acct.split("@")[0], "acct": acct,
            "display_name": acct.title(), "locked": False, "followers_count": number}  # fmt: skip


ALICE, BOB, DAVE = account(100, "alice"), account(200, "bob"), account(400, "dave")
CAROL = account(300, "carol@other.example")
ERIN = account(500, "erin")  # on OTHER_HOST


def status(status_id, at, *, likes=0, shares=0, mentions=()):
    mentioned = [{key: m[key] for key in ("id", "username", "acct")} for m in mentions]
    return {"id": status_id, "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "in_reply_to_id": None, "reblog": None, "content": f"<p>status {status_id}</p>",
            "url": f"https://{HOST}/@alice/{status_id}", "favourites_count": likes,
            "reblogs_count": shares,
            "mentions": mentioned}  # fmt: skip


S3 = status("9003", DAY_1, likes=2, shares=1, mentions=[CAROL])
S2 = status("9002", DAY_2)
S0 = status("9000", OLD, likes=5)
S4 = status("9004", HOUR_AGO, likes=1)  # new at the second read
S3_LATER = {**S3, "favourites_count": 3}  # one more favourite by then

TOP = "/api/v1/accounts/100/statuses?limit=40"
LOOKUP = "/api/v1/accounts/lookup?acct="


def engaged(status_id, endpoint):
    return f"/api/v1/statuses/{status_id}/{endpoint}?limit=40"


FIRST_READ = {
    f"{LOOKUP}alice": (ALICE, None),
    f"{LOOKUP}bob": (BOB, None),
    "/api/v1/accounts/200/statuses?limit=40": ([], None),
    TOP: ([S3, S2], f"{TOP}&max_id=9002"),
    f"{TOP}&max_id=9002": ([S0], None),
    engaged("9003", "favourited_by"): ([BOB, CAROL], None),
    engaged("9003", "reblogged_by"): ([DAVE], None),
}
SECOND_READ = {
    f"{TOP}&min_id=9003": ([S4], None),
    f"{TOP}&min_id=9004": ([], None),
    f"{TOP}&max_id=9004": ([S3_LATER, S2], f"{TOP}&max_id=9002"),
    engaged("9004", "favourited_by"): ([BOB], None),
    engaged("9003", "favourited_by"): ([BOB, CAROL, DAVE], None),
}


@pytest.fixture
def server(settings):
    with serving(FIRST_READ) as recorded:
        recorded.headers = {"X-RateLimit-Remaining": "299"}
        settings.MASTODON_INSTANCE_URLS = {HOST: recorded.url}
        yield recorded


def verified(username, *, owner=True, verification=Verification.VERIFIED):
    # No password: hashing one takes longer than the rest of a test.
    user = User.objects.create(email=f"{username}.example") if owner else None
    person = Person.objects.create(owner=user)
    return Handle.objects.create(
        person=person,
        network="mastodon",
        external_id=username.casefold(),
        username=username,
        verification=verification,
    )


def refresh():
    return mastodon_refresh(now=datetime.now(UTC))


def asked(server):
    return [path for path, _ in server.requests]


def interactions():
    return sorted(
        Interaction.objects.values_list(
            "actor__external_id", "target__external_id", "kind", "occurred_at", "post__external_id"
        )
    )


def cursor(handle):
    return MastodonCursor.objects.filter(handle=handle).values_list("status_id", flat=True).first()


def written():
    return Handle.objects.count(), Post.objects.count(), Interaction.objects.count()


ALICE_ID = f"alice@{HOST}"
FIRST_INTERACTIONS = [
    (ALICE_ID, "carol@other.example", MENTION, DAY_1, None),
    (f"bob@{HOST}", ALICE_ID, LIKE, DAY_1, "9003"),
    ("carol@other.example", ALICE_ID, LIKE, DAY_1, "9003"),
    (f"dave@{HOST}", ALICE_ID, SHARE, DAY_1, "9003"),
]


def test_first_read_takes_the_window_and_stores_the_newest_status(server):
    alice = verified(f"alice@{HOST}")

    summary = refresh()

    assert summary.as_dict() == {
        "accounts_read": 1, "accounts_failed": 0, "accounts_left": 0, "accounts_partly_read": 0,
        "new_interactions": 4,
        "servers_throttled": [], "servers_failed": [], "retry_at": {},
    }  # fmt: skip
    assert interactions() == FIRST_INTERACTIONS
    assert sorted(Post.objects.values_list("external_id", "reported_likes")) == [
        ("9002", 0),
        ("9003", 2),
    ]
    assert cursor(alice) == "9003"
    assert asked(server) == [
        f"{LOOKUP}alice",
        TOP,
        engaged("9003", "favourited_by"),
        engaged("9003", "reblogged_by"),
        f"{TOP}&max_id=9002",
    ]


def test_second_read_asks_for_newer_statuses_and_only_grown_engagement(server):
    alice = verified(f"alice@{HOST}")
    refresh()
    server.routes.update(SECOND_READ)
    server.requests.clear()

    summary = refresh()

    assert (summary.accounts_read, summary.new_interactions) == (1, 2)
    assert asked(server) == [
        f"{LOOKUP}alice",
        f"{TOP}&min_id=9003",
        engaged("9004", "favourited_by"),
        f"{TOP}&min_id=9004",
        f"{TOP}&max_id=9004",
        engaged("9003", "favourited_by"),  # 2 → 3 favourites; its reblogs did not change
        f"{TOP}&max_id=9002",
    ]
    assert interactions() == sorted(
        [
            *FIRST_INTERACTIONS,
            (f"bob@{HOST}", ALICE_ID, LIKE, HOUR_AGO, "9004"),
            (f"dave@{HOST}", ALICE_ID, LIKE, DAY_1, "9003"),
        ]
    )
    assert Post.objects.get(external_id="9003").reported_likes == 3
    assert cursor(alice) == "9004"


def test_a_read_with_nothing_new_asks_two_pages_and_adds_nothing(server):
    alice = verified(f"alice@{HOST}")
    refresh()
    server.routes.update(SECOND_READ)
    refresh()
    server.routes[TOP] = ([S4, S3_LATER, S2], f"{TOP}&max_id=9002")
    server.requests.clear()
    before = written()

    summary = refresh()

    assert (summary.accounts_read, summary.new_interactions) == (1, 0)
    assert asked(server) == [f"{LOOKUP}alice", f"{TOP}&min_id=9004", TOP, f"{TOP}&max_id=9002"]
    assert written() == before
    assert cursor(alice) == "9004"


def test_reading_everything_again_adds_nothing_twice(server):
    alice = verified(f"alice@{HOST}")
    refresh()
    before = written()
    MastodonCursor.objects.all().delete()  # forget where the last read stopped
    Post.objects.update(reported_likes=0, reported_shares=0)  # and what it counted

    summary = refresh()

    assert engaged("9003", "favourited_by") in asked(server)[5:]  # all read a second time
    assert (summary.accounts_read, summary.new_interactions) == (1, 0)
    assert written() == before
    assert interactions() == FIRST_INTERACTIONS
    assert cursor(alice) == "9003"


def test_a_server_whose_budget_is_spent_is_not_asked_again_in_the_run(server):
    verified(f"alice@{HOST}")
    verified(f"bob@{HOST}")
    reset = (NOW + timedelta(minutes=4)).isoformat()
    server.headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    before = written()

    summary = refresh()

    assert asked(server) == [f"{LOOKUP}alice"]
    assert summary.as_dict() == {
        "accounts_read": 0, "accounts_failed": 0, "accounts_left": 2, "accounts_partly_read": 0,
        "new_interactions": 0,
        "servers_throttled": [HOST], "servers_failed": [],
        "retry_at": {},  # it read nothing: the next night, not in minutes
    }  # fmt: skip
    assert written() == before
    assert MastodonCursor.objects.count() == 0


def test_a_server_answering_429_is_not_waited_for_nor_asked_again(server):
    verified(f"alice@{HOST}")
    verified(f"bob@{HOST}")
    server.throttled[f"{LOOKUP}alice"] = [1, {"Retry-After": "0"}]

    summary = refresh()

    assert asked(server) == [f"{LOOKUP}alice"]
    assert (summary.accounts_left, summary.servers_throttled) == (2, [HOST])


def test_a_nearly_spent_budget_is_left_for_people_verifying_and_the_rest_read_first_next(
    server,
):
    alice, bob = verified(f"alice@{HOST}"), verified(f"bob@{HOST}")
    server.headers = {"X-RateLimit-Remaining": "10"}

    summary = refresh()

    assert (summary.accounts_read, summary.accounts_left) == (1, 1)
    assert (cursor(alice), cursor(bob)) == ("9003", None)
    server.headers = {"X-RateLimit-Remaining": "299"}
    server.routes[f"{TOP}&min_id=9003"] = ([], None)
    server.requests.clear()

    assert refresh().accounts_read == 2
    assert asked(server)[0] == f"{LOOKUP}bob"  # the one left last night first
    assert cursor(bob) == ""


def test_a_throttled_server_is_read_again_for_what_it_left_when_its_budget_is_back(server):
    alice, bob = verified(f"alice@{HOST}"), verified(f"bob@{HOST}")
    reset = datetime.now(UTC) + timedelta(minutes=4)
    server.headers = {"X-RateLimit-Remaining": "10", "X-RateLimit-Reset": reset.isoformat()}
    night = datetime.now(UTC)

    summary = mastodon_refresh(now=night, read_before=night)

    assert summary.retry_at == {HOST: reset.isoformat()}
    server.requests.clear()
    server.headers = {"X-RateLimit-Remaining": "299"}

    again = mastodon_refresh(now=datetime.now(UTC), hosts=[HOST], read_before=night)

    assert (again.accounts_read, again.retry_at) == (1, {})
    assert asked(server) == [f"{LOOKUP}bob", "/api/v1/accounts/200/statuses?limit=40"]
    assert (cursor(alice), cursor(bob)) == ("9003", "")


@pytest.mark.parametrize("reset_in", [timedelta(hours=2), None])
def test_a_server_whose_budget_comes_back_late_or_untold_waits_for_the_next_night(server, reset_in):
    verified(f"alice@{HOST}")
    verified(f"bob@{HOST}")
    server.headers = {"X-RateLimit-Remaining": "10"}
    if reset_in:
        server.headers["X-RateLimit-Reset"] = (datetime.now(UTC) + reset_in).isoformat()

    summary = refresh()

    assert (summary.servers_throttled, summary.retry_at) == ([HOST], {})


def test_a_budget_back_sooner_than_a_minute_is_given_a_minute(server):
    verified(f"alice@{HOST}")
    verified(f"bob@{HOST}")
    server.headers = {"X-RateLimit-Remaining": "10", "X-RateLimit-Reset": NOW.isoformat()}

    summary = refresh()

    retry_at = datetime.fromisoformat(summary.retry_at[HOST])
    assert timedelta(seconds=50) < retry_at - datetime.now(UTC) <= timedelta(minutes=1)


def test_an_account_cut_short_by_its_server_keeps_the_statuses_read_whole(server):
    alice, bob = verified(f"alice@{HOST}"), verified(f"bob@{HOST}")
    liked_reply = {**S2, "favourites_count": 1}
    server.routes[TOP] = ([S3, liked_reply], f"{TOP}&max_id=9002")
    server.routes[engaged("9002", "favourited_by")] = ([BOB], None)
    reset = datetime.now(UTC) + timedelta(minutes=3)
    throttle = {"Retry-After": "0", "X-RateLimit-Reset": reset.isoformat()}
    server.throttled[engaged("9002", "favourited_by")] = [1, throttle]

    summary = refresh()

    assert (summary.accounts_read, summary.accounts_partly_read, summary.accounts_left) == (0, 1, 2)
    assert summary.retry_at == {HOST: reset.isoformat()}
    assert interactions() == FIRST_INTERACTIONS  # 9003 whole; 9002 not, so nothing of it
    assert list(Post.objects.values_list("external_id", flat=True)) == ["9003"]
    assert (cursor(alice), cursor(bob)) == (None, None)
    server.requests.clear()

    again = refresh()

    assert (again.accounts_read, again.new_interactions) == (2, 1)
    assert asked(server)[:4] == [
        f"{LOOKUP}alice",
        TOP,  # 9003 is known with the same counts: not asked about again
        engaged("9002", "favourited_by"),
        f"{TOP}&max_id=9002",
    ]
    assert interactions() == sorted(
        [*FIRST_INTERACTIONS, (f"bob@{HOST}", ALICE_ID, LIKE, DAY_2, "9002")]
    )
    assert cursor(alice) == "9003"


def test_a_server_that_stops_before_anything_new_is_read_is_not_read_again_that_night(server):
    verified(f"alice@{HOST}")
    refresh()
    server.routes[f"{TOP}&min_id=9003"] = ([], None)
    server.routes[TOP] = ([S3, {**S2, "favourites_count": 1}], f"{TOP}&max_id=9002")
    reset = datetime.now(UTC) + timedelta(minutes=3)
    throttle = {"Retry-After": "0", "X-RateLimit-Reset": reset.isoformat()}
    server.throttled[engaged("9002", "favourited_by")] = [1, throttle]

    summary = refresh()

    assert (summary.accounts_partly_read, summary.accounts_left) == (0, 1)
    assert (summary.servers_throttled, summary.retry_at) == ([HOST], {})


@pytest.fixture
def silent_server():
    """A server that takes connections and never answers them."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def test_a_failing_server_or_account_does_not_stop_the_others(
    server, settings, silent_server, monkeypatch
):
    monkeypatch.setattr(mastodon, "TIMEOUT_SECONDS", 0.5)
    settings.MASTODON_INSTANCE_URLS = {
        HOST: server.url,
        OTHER_HOST: "http://127.0.0.1:9",  # nothing listens there
        SLOW_HOST: silent_server,
    }
    verified(f"erin@{OTHER_HOST}")
    verified(f"frank@{SLOW_HOST}")
    verified(f"gina@{SLOW_HOST}")
    verified(f"alice@{HOST}")
    bob = verified(f"bob@{HOST}")
    server.failing[f"{LOOKUP}alice"] = 500

    summary = refresh()

    assert summary.as_dict() == {
        "accounts_read": 1, "accounts_failed": 1, "accounts_left": 3, "accounts_partly_read": 0,
        "new_interactions": 0,
        "servers_throttled": [], "servers_failed": [OTHER_HOST, SLOW_HOST], "retry_at": {},
    }  # fmt: skip
    assert cursor(bob) == ""
    assert asked(server) == [
        f"{LOOKUP}alice",
        f"{LOOKUP}bob",
        "/api/v1/accounts/200/statuses?limit=40",
    ]


def test_reads_only_handles_with_a_verified_owner_still_tracked(server):
    opted_out = verified(f"alice@{HOST}")
    Person.objects.filter(pk=opted_out.person_id).update(opted_out=True)
    listed = verified(f"bob@{HOST}")
    DoNotTrack.objects.create(network="mastodon", external_id=listed.external_id)
    verified(f"carol@{HOST}", verification=Verification.PENDING)
    verified(f"dave@{HOST}", verification=Verification.UNVERIFIED)
    verified(f"erin@{HOST}", owner=False)

    summary = refresh()

    assert server.requests == []
    assert summary.accounts_read == summary.accounts_left == 0


def test_the_beat_queues_the_refresh_before_the_nightly_scores_by_a_registered_name(server):
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    entry = schedule["mastodon-refresh"]
    task = registered_task(entry["task"])
    assert task.name == mastodon_refresh_task.name
    assert entry["schedule"].hour == {22}
    assert schedule["nightly-scores"]["schedule"].hour == {0}
    verified(f"alice@{HOST}")

    assert task.delay().get()["new_interactions"] == 4  # run in-process: no broker here


COUNT_RANGE = "must be a whole number from 0 to 2,147,483,647"
DEEP = b"[" * 100_000 + b"]" * 100_000
HUGE = b'["' + b"x" * (9 * 2**20) + b'"]'


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        (TOP, [{**S3, "content": "<p>a\x00b</p>"}], "#0: content contains a NUL character"),
        (TOP, [S2, {**S3, "id": "9\ud800"}], "#1: id holds a lone surrogate at character 2"),
        (TOP, [{**S3, "id": "9" * 5000}], "#0: id is longer than 100 characters"),
        (TOP, [{**S3, "favourites_count": 2**70}], f"#0: favourites_count {COUNT_RANGE}"),
        (TOP, [{**S3, "created_at": "9" * 10_000}], "#0: created_at is longer than 100 characters"),
        (TOP, DEEP, ": the answer is nested too deeply"),
        (TOP, HUGE, ": the answer is larger than 8,388,608 bytes"),
        (TOP, {"statuses": []}, ": expected a JSON list"),
        (engaged("9003", "favourited_by"), [{"id": "1", "acct": "x\x00"}],
         "#0: acct contains a NUL character"),
        (f"{LOOKUP}alice", {**ALICE, "acct": "mallory"}, "now names the account"),
    ],
)  # fmt: skip
def test_a_hostile_answer_fails_its_account_clearly_and_writes_nothing_of_it(
    server, caplog, path, body, reason
):
    alice = verified(f"alice@{HOST}")
    bob = verified(f"bob@{HOST}")
    server.routes[path] = (body, None)
    before = written()

    with caplog.at_level(logging.WARNING, logger="scoring.services.mastodon_refresh"):
        summary = refresh()

    assert (summary.accounts_read, summary.accounts_failed) == (1, 1)
    [failure] = [r.getMessage() for r in caplog.records if "not read" in r.getMessage()]
    assert failure.startswith(f"mastodon refresh: {alice} not read: ")
    assert reason in failure
    assert len(failure) < 400
    assert written() == before
    assert (cursor(alice), cursor(bob)) == (None, "")


@pytest.mark.parametrize("remaining", ["99999999999999999999", "-1", "²", "1e3", "0x10", ""])
def test_a_rate_limit_header_that_makes_no_sense_is_ignored(server, remaining):
    verified(f"alice@{HOST}")
    server.headers = {"X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": "9" * 5000}

    assert refresh().new_interactions == 4


@pytest.mark.parametrize(
    "reset",
    ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-13-45T99:00:00Z", "9" * 5000],
)
def test_a_rate_limit_reset_that_makes_no_sense_is_not_waited_for(server, reset):
    verified(f"alice@{HOST}")
    verified(f"bob@{HOST}")
    server.headers = {"X-RateLimit-Remaining": "10", "X-RateLimit-Reset": reset}

    summary = refresh()

    assert (summary.accounts_read, summary.servers_throttled, summary.retry_at) == (1, [HOST], {})
