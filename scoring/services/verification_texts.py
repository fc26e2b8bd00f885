"""Reading what a handle shows the public, to find a verification code in it. Mastodon's API
is public; other networks are verified by signing in with them (allauth), not read here."""

from django.conf import settings

from scoring.ingest import mastodon
from scoring.ingest.records import SourceError
from scoring.models import Handle, Network

# The networks whose public profiles Sway reads, so a code put there proves ownership.
READABLE_NETWORKS = frozenset({Network.MASTODON})

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


class CannotRead(Exception):
    """The handle's public texts cannot be read now; the message says why, for a person."""


def public_texts(handle: Handle) -> list[str]:
    if handle.network not in READABLE_NETWORKS:
        raise CannotRead(
            f"Sway cannot read {handle.get_network_display()} profiles, so a code there "
            "proves nothing."
        )
    account = handle.username or handle.external_id
    if "@" not in account:
        raise CannotRead(f"{handle} does not say which Mastodon server it is on.")
    host = account.rsplit("@", 1)[1].casefold()
    try:
        return mastodon.public_texts(_instance(host), account)
    except mastodon.RequestError as error:
        raise CannotRead(_FAILURES[error.failure].format(host=host, account=account)) from error
    except SourceError as error:  # an address the settings or the handle make unusable
        raise CannotRead(_FAILURES[mastodon.Failure.NO_SUCH_HOST].format(host=host)) from error


def _instance(host: str) -> str:
    """The server a Mastodon handle (user@host) lives on: https://host, unless the settings
    say otherwise for that host. Never the imported profile address, which anyone's data
    could point at an internal server."""
    return settings.MASTODON_INSTANCE_URLS.get(host, f"https://{host}")
