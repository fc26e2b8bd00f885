"""How a handle of each network can be verified on this site: by a code Sway can read on the
network, by signing in with the network where the site has its keys, or not at all."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from allauth.socialaccount.adapter import get_adapter
from django.http import HttpRequest

from scoring.models import Handle, Network
from scoring.services.verification_texts import READABLE_NETWORKS

NETWORK_OF_PROVIDER = {
    "twitter_oauth2": Network.TWITTER,
    "facebook": Network.FACEBOOK,
    "instagram": Network.INSTAGRAM,
    "linkedin": Network.LINKEDIN,  # the openid_connect app named linkedin in settings
}


@dataclass(frozen=True)
class WayToVerify:
    """How a handle of `network` can be proven someone's on this site, if at all."""

    network: Network
    by_code: bool  # a code in the profile, read by scoring.services.verification_texts
    sign_in: Any | None  # the allauth provider to sign in with, where this site has its keys

    @property
    def possible(self) -> bool:
        return self.by_code or self.sign_in is not None


def ways_to_verify(request: HttpRequest) -> dict[Network, WayToVerify]:
    providers = {
        NETWORK_OF_PROVIDER[provider.id]: provider
        for provider in get_adapter().list_providers(request)
        if provider.id in NETWORK_OF_PROVIDER
    }
    return {
        network: WayToVerify(network, network in READABLE_NETWORKS, providers.get(network))
        for network in Network
    }


def any_verifiable(request: HttpRequest, handles: Iterable[Handle]) -> bool:
    """Whether any of these handles can be verified on this site: what a profile nobody has
    claimed offers depends on it. It depends on the site's keys, never on the visitor."""
    networks = {handle.network for handle in handles}
    if not networks:  # no need to read the site's keys
        return False
    return any(
        way.possible for network, way in ways_to_verify(request).items() if network in networks
    )
