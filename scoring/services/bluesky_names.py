"""Names for the Bluesky accounts Sway knows by DID alone (the stream has seen no identity
event of them): asked of the AppView, PROFILES_AT_ONCE at a time (app.bsky.actor.getProfiles).
An account asked about is not asked again within a day, named or not (the shared cache keeps
the asking), and the run goes on next time after the last handle it asked about."""

from contextlib import closing
from datetime import timedelta
from itertools import batched

from django.core.cache import cache
from django.db import transaction

from scoring.ingest.bluesky import identifiers
from scoring.ingest.bluesky.appview import PROFILES_AT_ONCE, AppView
from scoring.ingest.bluesky.batch import STREAM, name_accounts
from scoring.ingest.bluesky.events import NETWORK, NO_HANDLE, Identity
from scoring.ingest.records import RecordError
from scoring.lock_objects import stream_cursor_lock
from scoring.models import Handle

ASKED_AGAIN_AFTER = timedelta(days=1)
MOST_A_RUN = 1000  # accounts asked about in one run: 40 calls
_SCAN = 5000  # unnamed handles looked at a query
_AFTER = "bluesky-names:after"  # the last handle (pk) asked about


def bluesky_handles_name(*, most: int = MOST_A_RUN) -> int:
    """Ask about up to `most` unnamed accounts; how many got a name. A failed call raises
    AppViewError, and what was named before it stays named."""
    named = 0
    to_ask, whole_table = _to_ask(most)
    with closing(AppView()) as appview:
        for chunk in batched(to_ask, PROFILES_AT_ONCE):
            dids = {did: pk for pk, did in chunk}
            profiles = appview.profiles(list(dids))
            names = [name for item in profiles if (name := _name(item.model, dids)) is not None]
            with transaction.atomic():
                stream_cursor_lock(STREAM)  # as the stream names accounts: one at a time
                name_accounts(names)
            asked = dict.fromkeys(map(_asked, dids), True)
            cache.set_many(asked, ASKED_AGAIN_AFTER.total_seconds())
            cache.set(_AFTER, chunk[-1][0], None)
            named += sum(1 for name in names if name.handle)
    if whole_table:
        cache.set(_AFTER, 0, None)  # from the first again, next time
    return named


def _to_ask(most: int) -> tuple[list[tuple[int, str]], bool]:
    """(pk, DID) of unnamed handles not asked about within a day, after the last asked about;
    and whether they are all there are up to the table's end."""
    after = cache.get(_AFTER, 0)
    found: list[tuple[int, str]] = []
    while len(found) < most:
        rows = list(
            Handle.objects.filter(network=NETWORK, username="", pk__gt=after)
            .order_by("pk")
            .values_list("pk", "external_id")[:_SCAN]
        )
        if not rows:
            return found, True
        asked = cache.get_many([_asked(did) for _, did in rows])
        found += [(pk, did) for pk, did in rows if _asked(did) not in asked]
        after = rows[-1][0]
    return found[:most], False


def _asked(did: str) -> str:
    return f"bluesky-names:asked:{did}"


def _name(profile: object, asked: dict[str, int]) -> Identity | None:
    """What the profile says the account's handle is ("" for none valid); None for a profile
    that is not well formed, or not of an account asked about."""
    try:
        did = identifiers.did(getattr(profile, "did", None))
        if did not in asked:
            return None
        handle = getattr(profile, "handle", "")
        return Identity(0, did, "" if handle == NO_HANDLE else identifiers.handle(handle))
    except RecordError:
        return None
