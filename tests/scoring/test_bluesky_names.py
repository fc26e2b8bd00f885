"""Bluesky accounts Sway knows by DID alone are named through the AppView (a local server
speaking its XRPC shapes), 25 a call, each asked about once a day at most."""

import pytest
from django.core.cache import cache

from scoring.ingest.bluesky.appview import AppViewError
from scoring.models import Handle, Person
from scoring.services.bluesky_names import bluesky_handles_name
from tests.appview_server import Fault, World, serving
from tests.scoring.bluesky_events import did

pytestmark = pytest.mark.django_db

GET_PROFILES = "app.bsky.actor.getProfiles"


def unnamed(count):
    return [
        Handle.objects.create(
            person=Person.objects.create(), network="bluesky", external_id=did(f"u{n:02}")
        )
        for n in range(count)
    ]


@pytest.fixture
def server(settings):
    cache.clear()
    world = World()
    for n in range(28):  # u28 and u29 are unknown to the AppView
        world.profile(did(f"u{n:02}"), f"user{n}.bsky.social")
    world.profiles[did("u05")]["handle"] = "handle.invalid"  # its handle fails to resolve
    world.profiles[did("u06")]["handle"] = "taken.bsky.social"  # moved here from another DID
    with serving(world) as running:
        settings.BLUESKY_APPVIEW_URL = running.url
        yield running
    cache.clear()


def names():
    return dict(Handle.objects.filter(network="bluesky").values_list("external_id", "username"))


def test_unnamed_accounts_are_named_25_a_call_and_not_asked_again_within_a_day(server):
    unnamed(30)
    previous = Handle.objects.create(
        person=Person.objects.create(), network="bluesky", external_id=did("old"),
        username="taken.bsky.social",
    )  # fmt: skip

    assert bluesky_handles_name() == 27  # of 30: u05's handle is invalid, u28 and u29 unknown
    assert [call.count("actors=") for call in server.calls] == [25, 5]
    named = names()
    assert named[did("u00")] == "user0.bsky.social"
    assert named[did("u06")] == "taken.bsky.social"
    assert named[previous.external_id] == ""  # the name went with the account
    assert named[did("u05")] == named[did("u28")] == ""

    assert bluesky_handles_name() == 0
    # Asked about within the day: u05, u28, u29 and the previous owner are not asked again…
    assert [call.count("actors=") for call in server.calls] == [25, 5, 1]
    assert server.calls[-1].endswith(f"actors={did('old').replace(':', '%3A')}")

    cache.delete_many([f"bluesky-names:asked:{did(n)}" for n in ("u05", "u28", "u29", "old")])
    bluesky_handles_name()
    # …until the day is over.
    assert [call.count("actors=") for call in server.calls] == [25, 5, 1, 4]


def test_most_bounds_a_run_and_the_next_goes_on_after_it(server):
    unnamed(30)

    assert bluesky_handles_name(most=10) == 9  # u05's handle is invalid
    bluesky_handles_name(most=10)

    asked = [actor for call in server.calls for actor in call.split("actors=")[1:]]
    assert [a.split("&")[0].rsplit("%3A", 1)[1] for a in asked] == [f"u{n:02}" for n in range(20)]


def test_a_failed_call_names_nothing_of_its_accounts_and_they_are_asked_again(server):
    unnamed(3)
    server.faults[GET_PROFILES] = [Fault(500, {"error": "InternalServerError"})]

    with pytest.raises(AppViewError, match="HTTP 500"):
        bluesky_handles_name()
    assert set(names().values()) == {""}

    assert bluesky_handles_name() == 3


@pytest.mark.parametrize(
    "profiles",
    [
        [{"did": did("u00"), "handle": "-not-.a-handle-"}],
        [{"did": did("u00")}],  # no handle
        [{"did": did("someone-else"), "handle": "eve.bsky.social"}],  # not asked about
        [{"did": did("u00"), "handle": "x" * 300 + ".bsky.social"}],
        [{"did": did("u00") + "\x00", "handle": "nul.bsky.social"}],
    ],
)
def test_profiles_that_are_not_well_formed_name_nobody(server, profiles):
    unnamed(1)
    server.faults[GET_PROFILES] = [Fault(200, {"profiles": profiles})]

    assert bluesky_handles_name() == 0
    assert names() == {did("u00"): ""}
