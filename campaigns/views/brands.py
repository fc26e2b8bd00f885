"""The brand's pages: its campaigns, set up with a live estimate of who qualifies, followed
through their funnel and fulfilled. Every page goes through the user's membership: another
brand's pages and campaigns answer 404, as if they did not exist."""

import csv
from collections.abc import Callable
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns.forms import (
    BrandForm,
    CodesForm,
    InviteForm,
    NewBrandForm,
    ShipmentForm,
    TargetForm,
    TrackingFileForm,
)
from campaigns.models import Campaign, Role
from campaigns.selectors.audience import audience
from campaigns.selectors.brands import (
    campaigns_of,
    claimant_name,
    claims_of,
    conversation_of,
    days_of,
    funnel_of,
    invitation_of,
    invitations_pending,
    keys_of,
    members_of,
    memberships_of,
)
from campaigns.selectors.roles import sees_addresses
from campaigns.selectors.targeting import Target
from campaigns.services import brands as brands_service
from campaigns.services.brands import brand_create, invitation_accept, invitation_send
from campaigns.services.claims import claim_fulfil
from campaigns.services.lifecycle import campaign_pause, campaign_resume, campaign_submit
from campaigns.views.access import brand_campaign as _campaign
from campaigns.views.access import brand_membership as _membership
from campaigns.views.access import member_brand as _brand
from campaigns.views.code_uploads import codes_add
from campaigns.views.results_chart import results_svgs
from marketplace.api_keys.services import api_key_create, api_key_revoke
from marketplace.http import AuthenticatedHttpRequest
from marketplace.models import ApiScope, User
from marketplace.refusals import Refusal, RefusalAsMessage, RefusalOnForm
from scoring.models import Person
from scoring.selectors.people import people_with_topics

CLAIMS_PER_PAGE = 50


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def brands(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewBrandForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with RefusalOnForm(form):
            brand = brand_create(user=request.user, **form.cleaned_data)
            messages.success(request, f"{brand} is yours. Staff will verify it soon.")
            return redirect("campaigns:brand", slug=brand.slug)
    memberships = memberships_of(user=request.user)
    return render(request, "campaigns/brands.html", {"form": form, "memberships": memberships})


@require_safe
@login_required
def brand(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    found, role = _membership(request, slug)
    context = {
        "brand": found,
        "role": role,
        "campaigns": campaigns_of(brand=found),
        "members": members_of(brand=found),
        "invitations": invitations_pending(brand=found),
        "keys": keys_of(brand=found) if role == Role.OWNER else [],
        "invite_form": InviteForm(),
    }
    return render(request, "campaigns/brand.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def brand_details(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The owners change the brand's name, website, handle and logo."""
    found = _brand(request, slug, Role.OWNER)
    initial = {name: getattr(found, name) for name in ("name", "website", "handle", "logo")}
    form = BrandForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with RefusalOnForm(form):
            saved = brands_service.brand_update(
                actor=request.user, brand=found, **form.cleaned_data
            )
            again = (
                " Staff will verify the brand again."
                if found.verified_at and not saved.verified_at
                else ""
            )
            messages.success(request, f"The brand's details are saved.{again}")
            return redirect("campaigns:brand", slug=slug)
    return render(request, "campaigns/brand_details.html", {"brand": found, "form": form})


@require_POST
@login_required
def member_invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    found = _brand(request, slug, Role.OWNER)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give an e-mail address and a role.")
    else:
        with RefusalAsMessage(request):
            invitation_send(user=request.user, brand=found, **form.cleaned_data)
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    return redirect("campaigns:brand", slug=slug)


@require_POST
@login_required
def member_remove(request: AuthenticatedHttpRequest, slug: str, member: int) -> HttpResponse:
    found = _brand(request, slug, Role.OWNER)
    membership = found.memberships.filter(pk=member).first()
    if membership is None:
        raise Http404("No such member")
    with RefusalAsMessage(request):
        brands_service.member_remove(user=request.user, membership_id=membership.pk)
        messages.success(request, "Removed from the brand.")
    return redirect("campaigns:brand", slug=slug)


@require_POST
@login_required
def key_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A brand-write API key for the brand, shown on this page alone, this once."""
    found = _brand(request, slug, Role.OWNER)
    name = request.POST.get("name", "").strip()[:100] or f"{found} key"
    made = api_key_create(
        name=name, scope=ApiScope.BRAND_WRITE, brand_id=found.pk, created_by=request.user
    )
    context = {"brand": found, "key": made.key, "api_key": made.api_key}
    return render(request, "campaigns/key_created.html", context)


@require_POST
@login_required
def key_revoke(request: AuthenticatedHttpRequest, slug: str, key: int) -> HttpResponse:
    found = _brand(request, slug, Role.OWNER)
    api_key = next((k for k in keys_of(brand=found) if k.pk == key), None)
    if api_key is None:
        raise Http404("No such key")
    api_key_revoke(api_key=api_key)
    messages.success(request, f"{api_key} is revoked: it opens nothing any more.")
    return redirect("campaigns:brand", slug=slug)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def invitation(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    found = invitation_of(token=token)
    if found is None:
        raise Http404("No such invitation")
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            invitation_accept(user=request.user, token=token)
            messages.success(request, f"Welcome to {found.brand}.")
            return redirect("campaigns:brand", slug=found.brand.slug)
    context = {"invitation": found, "error": refusal.message}
    return render(request, "campaigns/invitation.html", context)


@require_POST
@login_required
def campaign_estimate(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The audience the targeting being typed takes in now (an htmx fragment)."""
    _brand(request, slug, Role.MANAGER)
    form = TargetForm(request.POST)
    found, errors = None, []
    if not form.is_valid():
        errors = [
            f"{form[name].label}: {' '.join(map(str, problems))}"
            for name, problems in form.errors.items()
            if form.data.get(name)  # a field not filled in yet is no mistake
        ]
    else:
        data = form.cleaned_data
        target = Target(
            data["min_score"],
            data.get("max_score"),
            tuple(topic.pk for topic in data["topics"]),
            data["countries"],
            data["cities"],
        )
        found = audience(target=target)
    return render(request, "campaigns/_estimate.html", {"estimate": found, "errors": errors})


@require_safe
@login_required
def campaign(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    brand, role = _membership(request, slug)
    found = _campaign(brand, pk)
    page = Paginator(claims_of(campaign=found), CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    claims = list(page)
    topics = dict(people_with_topics([claim.person for claim in claims]))
    conversation = conversation_of(campaign=found)
    days = days_of(campaign=found, conversation=conversation, now=timezone.now())
    context = {
        "brand": brand,
        "campaign": found,
        "funnel": funnel_of(campaign=found),
        "conversation": conversation,
        "days": days,
        "results_chart": results_svgs(days) if days else "",
        "page": page,
        "claims": [
            (claim, claimant_name(claim.person), topics[claim.person][:3]) for claim in claims
        ],
        "show_offer": any(claim.tier_id or hasattr(claim, "code") for claim in claims),
        "show_addresses": sees_addresses(role),
        "can_fulfil": role.includes(Role.MANAGER),
        "codes": found.codes.count(),
        "codes_form": CodesForm(),
        "shipment_form": ShipmentForm(),
        "tracking_form": TrackingFileForm(),
    }
    return render(request, "campaigns/campaign.html", context)


@require_POST
@login_required
def campaign_codes(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    brand = _brand(request, slug, Role.MANAGER)
    codes_add(request, _campaign(brand, pk))
    return redirect("campaigns:campaign", slug=slug, pk=pk)


Move = Callable[[User, Campaign], None]
MOVES: dict[str, tuple[Move, str]] = {
    "submit": (
        lambda user, campaign: campaign_submit(actor=user, campaign=campaign),
        "Submitted: staff will review it.",
    ),
    "pause": (
        lambda user, campaign: campaign_pause(actor=user, campaign=campaign),
        "Paused: nobody can claim it until you resume it.",
    ),
    "resume": (
        lambda user, campaign: campaign_resume(actor=user, campaign=campaign, now=timezone.now()),
        "Resumed.",
    ),
}


@require_POST
@login_required
def campaign_move(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Submit, pause or resume the campaign (`move` in the form)."""
    brand = _brand(request, slug, Role.MANAGER)
    found = _campaign(brand, pk)
    move, said = MOVES.get(request.POST.get("move", ""), (None, ""))
    if move is None:
        messages.error(request, "Unknown action.")
        return redirect("campaigns:campaign", slug=slug, pk=pk)
    with RefusalAsMessage(request):
        move(request.user, found)
        messages.success(request, said)
    return redirect("campaigns:campaign", slug=slug, pk=pk)


@require_POST
@login_required
def claim_ship(request: AuthenticatedHttpRequest, slug: str, pk: int, claim: int) -> HttpResponse:
    brand = _brand(request, slug, Role.MANAGER)
    found = _campaign(brand, pk)
    held = found.claims.filter(pk=claim).select_related("campaign", "person").first()
    if held is None:
        raise Http404("No such claim")
    form = ShipmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Not fulfilled: {' '.join(map(str, form.errors['tracking']))}")
        return redirect("campaigns:campaign", slug=slug, pk=pk)
    with RefusalAsMessage(request):
        claim_fulfil(actor=request.user, claim=held, tracking=form.cleaned_data["tracking"])
        messages.success(request, f"Marked fulfilled: {claimant_name(held.person)} is told.")
    return redirect("campaigns:campaign", slug=slug, pk=pk)


@require_safe
@login_required
def campaign_claims_csv(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    brand, role = _membership(request, slug)
    found = _campaign(brand, pk)
    show_addresses = sees_addresses(role)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{brand.slug}-{found.pk}-claims.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "claim",
            "claimed_at",
            "status",
            "name",
            "profile",
            "score",
            "tier",
            "code",
            "date",
            "address",
            "answers",
            "tracking",
            "fulfilled_at",
        ]
    )
    for claim in claims_of(campaign=found).iterator(chunk_size=2000):
        code = getattr(claim, "code", None)
        writer.writerow(
            map(
                _cell,
                [
                    claim.pk,
                    _iso(claim.created_at),
                    claim.status,
                    claimant_name(claim.person),
                    "" if claim.person.opted_out else _profile(request, claim.person),
                    claim.person.score,
                    claim.tier.offer if claim.tier else "",
                    code.code if code else "",
                    _iso(claim.slot.starts_at if claim.slot else None),
                    claim.address if show_addresses else "",
                    "; ".join(f"{q} {a}" for q, a in claim.answers.items()),
                    claim.tracking,
                    _iso(claim.fulfilled_at),
                ],
            )
        )
    return response


def _profile(request: AuthenticatedHttpRequest, person: Person) -> str:
    return request.build_absolute_uri(reverse("scoring:profile", args=[person.public_id]))


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


_FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")  # and their full-width forms
# What spreadsheets skip before a formula: blanks, no-break and zero-width spaces, BOMs.
_BLANKS = " \t\r\n\u00a0\u1680\u202f\u205f\u2060\u3000\ufeff" + "".join(
    map(chr, range(0x2000, 0x200E))
)


def _cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula (a name, an answer) is quoted."""
    if isinstance(value, str) and (
        value[:1] in ("\t", "\r") or value.lstrip(_BLANKS)[:1] in _FORMULA_STARTS
    ):
        return "'" + value
    return value
