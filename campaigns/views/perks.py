"""People's side of perks: the offers they qualify for and their claims, a perk and its claim
form, cancelling a claim, and the open perks on a topic (an htmx fragment of the topic page).
Each view parses, calls one selector or service, renders."""

from collections.abc import Sequence
from typing import Any
from uuid import uuid4

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.eligibility import offer_viewed
from campaigns.models import Campaign, Slot
from campaigns.selectors.perks import claim_code, open_perks_on, perk_page, perks_of
from campaigns.services import claims, waitlist
from campaigns.services.claims import ClaimRequest
from campaigns.services.stock import DATE_GONE, PICK_A_DATE
from marketplace.http import AuthenticatedHttpRequest, HtmxHttpRequest
from marketplace.refusals import Refusal, RefusalAsMessage
from scoring.selectors.topics import public_topic

ANSWER_LENGTH = 1000
ADDRESS_LENGTH = 1000


class ClaimForm(forms.Form):
    """The campaign's claim steps. Which steps must be filled is the service's rule, which
    the form asks so as to report every step left undone at once, each at its field."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(
        self, *args: Any, campaign: Campaign, slots: Sequence[Slot] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""  # labels are questions and sentences
        self.campaign = campaign
        if slots:
            self.fields["slot"] = forms.TypedChoiceField(
                label="Date",
                coerce=int,
                choices=[("", "Pick a date"), *((s.pk, _slot_label(s)) for s in slots)],
                error_messages={"required": PICK_A_DATE, "invalid_choice": DATE_GONE},
            )
        for n, question in enumerate(campaign.questions):
            self.fields[f"answer_{n}"] = forms.CharField(
                label=question,
                max_length=ANSWER_LENGTH,
                required=False,
                widget=forms.TextInput(attrs={"required": True}),
            )
        if campaign.needs_address:
            self.fields["address"] = forms.CharField(
                label="Shipping address",
                max_length=ADDRESS_LENGTH,
                required=False,
                widget=forms.Textarea(
                    attrs={"rows": 4, "required": True, "autocomplete": "shipping street-address"}
                ),
            )
        if campaign.disclosure:
            self.fields["accepted_disclosure"] = forms.BooleanField(
                label="I have read the reminder above and will follow it",
                required=False,
                widget=forms.CheckboxInput(
                    attrs={"required": True, "aria-describedby": "disclosure-text"}
                ),
            )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        missing = claims.missing_steps(campaign=self.campaign, request=self.claim_request())
        for step, message in missing.items():
            if not self.has_error(step):  # a step refused already (too long, a NUL) says so
                self.add_error(step, message)
        if self.has_error("accepted_disclosure"):
            # The checkbox is described by the reminder it accepts; Django would add its
            # error only when nothing else described it.
            box = self["accepted_disclosure"]
            box.field.widget.attrs["aria-describedby"] = f"disclosure-text {box.auto_id}_error"
        return cleaned

    def problems(self) -> list[tuple[str, str]]:
        """Every error of a visible field with the field's id, for the summary on top."""
        return [
            (field.auto_id, str(error)) for field in self.visible_fields() for error in field.errors
        ]

    def claim_request(self) -> ClaimRequest:
        data = self.cleaned_data  # a field refused is left out: it counts as left undone
        return ClaimRequest(
            idempotency_key=data.get("idempotency_key", ""),
            answers={q: data.get(f"answer_{n}", "") for n, q in enumerate(self.campaign.questions)},
            address=data.get("address", ""),
            accepted_disclosure=data.get("accepted_disclosure", False),
            slot_id=data.get("slot") or None,
        )


def _slot_label(slot: Slot) -> str:
    return f"{slot.starts_at:%A %-d %B, %H:%M} UTC ({slot.left} left)"


@require_safe
@login_required
def perks(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = perks_of(user=request.user)
    return render(request, "campaigns/perks.html", {"perks": found})


@require_http_methods(["GET", "HEAD", "POST"])
def perk(request: HttpRequest, pk: int) -> HttpResponse:
    """A live perk, for anyone to read; the people in its target claim it here."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        viewer = None
    else:
        viewer = request.user
    page = perk_page(user=viewer, campaign_id=pk)
    if page is None:
        raise Http404("No such perk")
    posted = request.POST if request.method == "POST" else None
    if posted is None and page.person is not None:
        offer_viewed(campaign_id=pk, person_id=page.person.pk)
    # A fresh key each time the form is shown; a resubmitted form repeats its own.
    form = ClaimForm(
        posted, campaign=page.campaign, slots=page.slots, initial={"idempotency_key": uuid4().hex}
    )
    refusal = Refusal()
    if posted is not None and viewer is not None and form.is_valid():
        with refusal:
            claim = (
                claims.claim_confirm(
                    user=viewer, claim_id=page.claim.pk, request=form.claim_request()
                )
                if page.held and page.claim is not None
                else claims.claim_create(user=viewer, campaign_id=pk, request=form.claim_request())
            )
            code = claim_code(claim=claim)
            said = f" Your code: {code}" if code else ""
            messages.success(request, f"You claimed “{page.campaign.title}”.{said}")
            return redirect("campaigns:perk", pk=pk)
        # Sold out or out of the target meanwhile: show the perk as it is now.
        page = perk_page(user=viewer, campaign_id=pk) or page
    status = 400 if form.errors else 200  # steps left undone, or forged
    context = {"page": page, "form": form, "error": refusal.message}
    return render(request, "campaigns/perk.html", context, status=status)


@require_POST
@login_required
def waitlist_join(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    with RefusalAsMessage(request):
        waitlist.waitlist_join(user=request.user, campaign_id=pk)
        messages.success(request, "You are on the waitlist: if a unit comes back, we tell you.")
    return redirect("campaigns:perk", pk=pk)


@require_POST
@login_required
def claim_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    with RefusalAsMessage(request):
        returned = claims.claim_cancel(user=request.user, claim_id=pk)
        back = ": its unit goes back on offer" if returned else " (its code stays yours)"
        messages.success(request, f"Your claim is cancelled{back}.")
    return redirect("campaigns:perks")


@require_safe
@vary_on_headers("HX-Request")
def topic_perks(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    topic = public_topic(slug=slug)
    if topic is None:
        raise Http404("No such topic")
    context = {"topic": topic, "campaigns": open_perks_on(topic=topic)}
    template = "campaigns/_topic_perks.html" if request.htmx else "campaigns/topic_perks.html"
    return render(request, template, context)
