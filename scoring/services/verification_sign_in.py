"""Verifying handles by signing in with their network (allauth's social accounts): a social
account a user connects proves they own the network's account with that id."""

from typing import Any

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse

from marketplace.models import User
from scoring.models import Handle, Person, username_key
from scoring.selectors.verification_ways import NETWORK_OF_PROVIDER
from scoring.services.verification import handle_verify


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
