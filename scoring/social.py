"""Verifying handles by signing in with their network (allauth's social accounts): a social
account a user connects proves they own the network's account with that id."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, get_adapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse

from marketplace.models import User
from scoring.connectors import READABLE_NETWORKS
from scoring.models import Handle, Network, Person, username_key
from scoring.verification import handle_verify

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
    by_code: bool  # a code in the profile, read by scoring.connectors
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


class HandleConnectingAdapter(DefaultSocialAccountAdapter):
    """After a user connects a network, send them where their handle gets verified."""

    def get_connect_redirect_url(self, request: HttpRequest, socialaccount: Any) -> str:
        return reverse("scoring:verify-connected")

    def get_app(self, request: HttpRequest, provider: str, client_id: str | None = None) -> Any:
        """A network this site has no credentials for has no sign-in pages here: a 404, where
        allauth's own error is a 500."""
        try:
            return super().get_app(request, provider, client_id)
        except SocialApp.DoesNotExist:
            raise Http404(f"Signing in with {provider} is not set up on this site.") from None


@transaction.atomic
def handles_verify_connected(*, user: User) -> list[Handle]:
    """Verify, for the user, the handle of each network account they connected (creating
    the handle when Sway has not seen it yet). Returns the handles verified now."""
    verified = []
    for account in SocialAccount.objects.filter(user=user, provider__in=NETWORK_OF_PROVIDER):
        network = NETWORK_OF_PROVIDER[account.provider]
        handle = Handle.objects.filter(network=network, external_id=account.uid).first()
        if handle is None:
            username = str(account.extra_data.get("username", ""))[:100]
            _free_username(network, username)
            handle = Handle.objects.create(
                person=Person.objects.create(display_name=username),
                network=network,
                external_id=account.uid,
                username=username,
            )
        if handle.person.owner_id != user.pk or handle.verification != "verified":
            handle_verify(user=user, handle=handle)
            verified.append(handle)
    return verified


def _free_username(network: str, username: str) -> None:
    """The network says the username is this account's now: another handle that had it has
    renamed since Sway last read it, and keeps its id but not the name."""
    key = username_key(username)
    if key:
        Handle.objects.filter(network=network, username_key=key).update(
            username="", username_key=""
        )
