"""The forms where people name a handle of theirs: to verify it, or to ask that it be opted
out when it cannot be verified here."""

from typing import Any

from django import forms

from scoring.handle_query import HandleIdQuery, HandleQuery, UnknownAddress, parse
from scoring.models import Handle, Network, OptOutRequest
from scoring.selectors.people import handle_named
from scoring.selectors.verification_ways import WayToVerify


def known_handle(text: str, example: str = "twitter:@alice or @alice@mastodon.social") -> Handle:
    """The handle a person typed, as Sway knows it; a ValidationError that says what is wrong,
    showing `example` when the network is missing."""
    _, query = _handle_query(text, example)
    handle = handle_named(query=query)
    if handle is None:
        shown = (
            f"{query.network}:@{query.username}"
            if isinstance(query, HandleQuery)
            else f"{query.network}:#{query.external_id}"
        )
        raise forms.ValidationError(
            f"Sway has not seen {shown} yet: it needs some public activity first."
        )
    return handle


def _handle_query(text: str, example: str) -> tuple[Network, HandleQuery | HandleIdQuery]:
    try:
        query = parse(text)
    except UnknownAddress as error:
        raise forms.ValidationError(str(error)) from error
    if not isinstance(query, HandleQuery | HandleIdQuery) or query.network is None:
        raise forms.ValidationError(f"Give the whole handle with its network, as in {example}.")
    return Network(query.network), query


class HandleForm(forms.Form):
    handle = forms.CharField(
        label="Your handle",
        max_length=300,
        help_text="For example @alice@mastodon.social or https://mastodon.social/@alice.",
    )

    def __init__(self, *args: Any, ways: dict[Network, WayToVerify], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.ways = ways

    EXAMPLE = "@alice@mastodon.social"

    def clean_handle(self) -> Handle:
        text = self.cleaned_data["handle"]
        network, _ = _handle_query(text, self.EXAMPLE)
        way = self.ways[network]
        if not way.by_code:
            name = way.network.label
            raise forms.ValidationError(
                f"A code does not work for {name}: Sway cannot read its profiles. "
                + (
                    f"Use “Verify with {name}” below instead."
                    if way.sign_in
                    else f"{name} handles cannot be verified on this site yet; to have one "
                    "taken off Sway, ask for an opt-out (below)."
                )
            )
        handle = known_handle(text, self.EXAMPLE)
        if handle.person.opted_out:
            raise forms.ValidationError(f"{handle} opted out of Sway: it is not scored.")
        return handle


class OptOutRequestForm(forms.Form):
    handle = forms.CharField(
        label="The handle",
        max_length=300,
        help_text="For example twitter:@alice, twitter:#88 or a profile address.",
    )
    message = forms.CharField(
        label="How can staff tell it is yours?",
        max_length=OptOutRequest._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: “The bio of the account names my website, example.org.” "
        "Staff may write to you to check.",
    )

    def clean_handle(self) -> Handle:
        return known_handle(self.cleaned_data["handle"])
