"""Reading what a handle shows the public, to find a verification code in it: Mastodon through
its server's public API, Bluesky through its public AppView API. Other networks are verified
by signing in with them (allauth), not read here."""

from collections.abc import Callable

from scoring.ingest import mastodon
from scoring.ingest.bluesky import appview
from scoring.ingest.records import SourceError
from scoring.models import Handle, Network

_FAILURES = {
    mastodon.Failure.NO_SUCH_HOST: "Sway could not find the server {host}: check the part of "
    "the handle after its second @, or try again later if it is right.",
    mastodon.Failure.NO_ANSWER: "{host} did not answer in time. Try again in a few minutes.",
    mastodon.Failure.UNREACHABLE: "Sway could not reach {host}. Try again in a few minutes.",
    mastodon.Failure.BUSY: "{host} is busy and asked Sway to wait. Try again in a few minutes.",
    mastodon.Failure.NO_SUCH_ACCOUNT: "{host} says it has no account {account}. Check how the "
    "handle is spelled.",
    mastodon.Failure.SERVER_ERROR: "{host} had a problem answering. Try again later.",
    mastodon.Failure.NOT_MASTODON: "{host} did not answer as a Mastodon server does. Check the "
    "part of the handle after its second @.",
}
_BLUESKY_FAILURES = {
    appview.Failure.NO_ANSWER: "Bluesky did not answer in time. Try again in a few minutes.",
    appview.Failure.UNREACHABLE: "Sway could not reach Bluesky. Try again in a few minutes.",
    appview.Failure.BUSY: "Bluesky is busy and asked Sway to wait. Try again in a few minutes.",
    appview.Failure.NOT_FOUND: "Bluesky says it has no account {account} (any more). Check "
    "how the handle is spelled.",
    appview.Failure.SERVER_ERROR: "Bluesky had a problem answering. Try again later.",
    appview.Failure.NOT_APPVIEW: "Bluesky's answer could not be read. Try again later.",
}


class CannotRead(Exception):
    """The handle's public texts cannot be read now; the message says why, for a person."""


def public_texts(handle: Handle) -> list[str]:
    read = _READERS.get(Network(handle.network))
    if read is None:
        raise CannotRead(
            f"Sway cannot read {handle.get_network_display()} profiles, so a code there "
            "proves nothing."
        )
    return read(handle)


def _mastodon_texts(handle: Handle) -> list[str]:
    account = handle.username or handle.external_id
    if "@" not in account:
        raise CannotRead(f"{handle} does not say which Mastodon server it is on.")
    host = account.rsplit("@", 1)[1].casefold()
    try:
        return mastodon.public_texts(mastodon.instance_url(host), account)
    except mastodon.RequestError as error:
        raise CannotRead(_FAILURES[error.failure].format(host=host, account=account)) from error
    except SourceError as error:  # an address the settings or the handle make unusable
        raise CannotRead(_FAILURES[mastodon.Failure.NO_SUCH_HOST].format(host=host)) from error


def _bluesky_texts(handle: Handle) -> list[str]:
    """Read by the account's DID, never by its name, which may have moved to another account
    since Sway saw it."""
    if not handle.external_id.startswith("did:"):
        raise CannotRead(f"Sway does not know which Bluesky account {handle} is.")
    try:
        return appview.public_texts(handle.external_id)
    except appview.AppViewError as error:
        raise CannotRead(_BLUESKY_FAILURES[error.failure].format(account=handle)) from error
    except SourceError as error:  # BLUESKY_APPVIEW_URL is unusable
        raise CannotRead(_BLUESKY_FAILURES[appview.Failure.UNREACHABLE]) from error


_READERS: dict[Network, Callable[[Handle], list[str]]] = {
    Network.MASTODON: _mastodon_texts,
    Network.BLUESKY: _bluesky_texts,
}
# The networks whose public profiles Sway reads, so a code put there proves ownership.
READABLE_NETWORKS = frozenset(_READERS)
