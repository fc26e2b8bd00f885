"""Reading what a handle shows the public, to find a verification code in it. Mastodon's API
is public; other networks are verified by signing in with them (allauth), not read here."""

from django.conf import settings

from scoring.ingest import mastodon
from scoring.ingest.sources import SourceError
from scoring.models import Handle, Network


class CannotRead(Exception):
    """The handle's public texts cannot be read now; the message says why, for a person."""


def public_texts(handle: Handle) -> list[str]:
    if handle.network != Network.MASTODON:
        raise CannotRead(
            f"Sway cannot read {handle.get_network_display()} profiles: verify this handle by "
            f"signing in with {handle.get_network_display()} instead."
        )
    try:
        return mastodon.public_texts(_instance(handle), handle.username or handle.external_id)
    except SourceError as error:
        raise CannotRead(
            f"Its server did not answer as expected ({error}). Try again later."
        ) from error


def _instance(handle: Handle) -> str:
    """The server a Mastodon handle (user@host) lives on: https://host, unless the settings
    say otherwise for that host. Never the imported profile address, which anyone's data
    could point at an internal server."""
    host = (handle.username or handle.external_id).rsplit("@", 1)[-1].casefold()
    return settings.MASTODON_INSTANCE_URLS.get(host, f"https://{host}")
