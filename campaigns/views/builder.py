"""The campaign builder: a brand writes a campaign in steps (the offer, who qualifies, how to
claim), each saved as the draft as it goes, with the audience estimate in view; reviews it
as the perk its members will see; submits it or deletes it. An approved campaign's edit page
offers only what may still change: pausing, more units, a later end."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.builder_forms import (
    REVIEW,
    STEP_OF,
    STEPS,
    EndForm,
    Step,
    StepForm,
    StockForm,
    new_campaign_initial,
    zone_name,
)
from campaigns.forms import CodesForm
from campaigns.models import Brand, BuilderStep, Campaign, PerkType, Role
from campaigns.selectors.builder import member_preview, reach_of
from campaigns.services.live_changes import APPROVED, campaign_end_extend, campaign_stock_add
from campaigns.services.setup import EDITABLE, campaign_delete, campaign_save
from campaigns.views.access import brand_campaign, member_brand
from campaigns.views.code_uploads import codes_add
from campaigns.views.perks import ClaimForm
from marketplace.http import AuthenticatedHttpRequest, HtmxHttpRequest
from marketplace.refusals import RefusalAsMessage, RefusalOnForm

# The preview is framed by the builder's own review page, and by nothing else.
FRAMED_BY_US: dict[str, Any] = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}


class BuilderRequest(AuthenticatedHttpRequest, HtmxHttpRequest):
    """A signed-in brand member's request, which htmx may have sent to check a step."""


def _step(slug: str) -> Step:
    if slug not in STEP_OF:
        raise Http404("No such step")
    return STEP_OF[slug]


def step_url(brand: Brand, campaign: Campaign, step: Step) -> str:
    return reverse("campaigns:campaign-step", args=[brand.slug, campaign.pk, step.slug])


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def campaign_new(request: BuilderRequest, slug: str) -> HttpResponse:
    """The first step of a new campaign: saving it makes the draft."""
    brand = member_brand(request, slug, Role.MANAGER)
    return _step_page(request, brand, None, STEPS[0])


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def campaign_edit(
    request: BuilderRequest, slug: str, pk: int, step: str = BuilderStep.OFFER
) -> HttpResponse:
    """A step of a draft or rejected campaign; an approved one's changes left open."""
    brand = member_brand(request, slug, Role.MANAGER)
    campaign = brand_campaign(brand, pk)
    shown = _step(step)
    if campaign.status not in EDITABLE:
        if request.method == "POST":
            messages.error(request, "Only a draft or a rejected campaign can be changed.")
            return redirect("campaigns:campaign-edit", slug=slug, pk=pk)
        return _changes_page(request, brand, campaign)
    if shown.slug == REVIEW:
        if request.method == "POST":
            codes_add(request, campaign)
            return redirect(step_url(brand, campaign, shown))
        return _review_page(request, brand, campaign)
    return _step_page(request, brand, campaign, shown)


def _step_page(
    request: BuilderRequest, brand: Brand, campaign: Campaign | None, step: Step
) -> HttpResponse:
    initial = StepForm.initial_of(campaign) if campaign else new_campaign_initial(timezone.now())
    posted = request.method == "POST"
    form = StepForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        step=step,
        brand=brand,
    )
    context = _builder_context(brand, campaign, step) | {"form": form, "problems": []}
    if posted and request.htmx:  # a check while the brand types: nothing is saved
        form.is_valid()
        # Once a save has named every mistake, each check names them all again.
        typed_only = "check_all" not in request.POST
        context["problems"] = form.problems(typed_only=typed_only)
        context["checked"] = form.checked(typed_only=typed_only)
        return render(request, "campaigns/builder.html#checks", context)
    if posted and form.is_valid():
        with RefusalOnForm(form):
            saved = campaign_save(
                actor=request.user,
                brand=brand,
                draft=form.draft(),
                campaign=campaign,
                step=BuilderStep(step.slug),
            )
            messages.success(request, f"Step {step.number}, {step.title.lower()}, is saved.")
            return redirect(step_url(brand, saved, _next(step, request.POST.get("go", ""))))
    if posted:
        context["problems"] = form.problems()
        context["failed"] = True
    return render(request, "campaigns/builder.html", context, status=400 if posted else 200)


def _next(step: Step, go: str) -> Step:
    """The step the brand asked for (a step's button), else the one after this one."""
    return STEP_OF.get(go) or STEPS[min(step.number, len(STEPS) - 1)]


def _builder_context(brand: Brand, campaign: Campaign | None, step: Step) -> dict[str, Any]:
    saved = set(campaign.steps_saved) if campaign else set()
    return {
        "brand": brand,
        "campaign": campaign,
        "step": step,
        "steps": [(each, each.slug in saved) for each in STEPS],
        "previous": STEPS[step.number - 2] if step.number > 1 else None,
        "unsaved": [each for each in STEPS[:-1] if each.slug not in saved],
        "zone": zone_name(),
    }


def _review_page(request: BuilderRequest, brand: Brand, campaign: Campaign) -> HttpResponse:
    codes = campaign.codes.count()
    needs_codes = campaign.perk_type == PerkType.CODE
    context = _builder_context(brand, campaign, STEP_OF[REVIEW]) | {
        "form": StepForm(initial=StepForm.initial_of(campaign), step=STEP_OF[REVIEW], brand=brand),
        "reach": reach_of(campaign=campaign),
        "perk": member_preview(campaign=campaign),
        "codes": codes,
        "codes_missing": max(campaign.quantity - codes, 0) if needs_codes else 0,
        "codes_form": CodesForm(),
    }
    return render(request, "campaigns/builder.html", context)


@require_safe
@login_required
@xframe_options_sameorigin
@csp_override(FRAMED_BY_US)
def campaign_preview(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """The perk as a member in its target will see it, framed at a phone's and a computer's
    width on the review step; claiming is shown, not open."""
    brand = member_brand(request, slug)
    campaign = brand_campaign(brand, pk)
    page = member_preview(campaign=campaign)
    context = {"page": page, "form": ClaimForm(campaign=campaign, slots=page.slots)}
    return render(request, "campaigns/perk_preview.html", context)


@require_POST
@login_required
def campaign_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    brand = member_brand(request, slug, Role.MANAGER)
    campaign = brand_campaign(brand, pk)
    with RefusalAsMessage(request):
        campaign_delete(actor=request.user, campaign=campaign)
        messages.success(request, f"The draft “{campaign}” is deleted.")
        return redirect("campaigns:brand", slug=slug)
    return redirect("campaigns:campaign", slug=slug, pk=pk)


def _changes_page(
    request: AuthenticatedHttpRequest,
    brand: Brand,
    campaign: Campaign,
    stock_form: StockForm | None = None,
    end_form: EndForm | None = None,
) -> HttpResponse:
    context = {
        "brand": brand,
        "campaign": campaign,
        "approved": campaign.status in APPROVED,
        "stock_form": stock_form or StockForm(),
        "end_form": end_form or EndForm(initial={"ends_at": campaign.ends_at}),
        "zone": zone_name(),
    }
    failed = stock_form is not None or end_form is not None
    return render(
        request, "campaigns/campaign_changes.html", context, status=400 if failed else 200
    )


@require_POST
@login_required
def campaign_stock(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    brand = member_brand(request, slug, Role.MANAGER)
    campaign = brand_campaign(brand, pk)
    form = StockForm(request.POST)
    if form.is_valid():
        with RefusalOnForm(form):
            units = form.cleaned_data["units"]
            campaign_stock_add(actor=request.user, campaign=campaign, units=units)
            messages.success(request, f"{units} more on offer: {campaign.quantity} in all.")
            return redirect("campaigns:campaign-edit", slug=slug, pk=pk)
    return _changes_page(request, brand, campaign, stock_form=form)


@require_POST
@login_required
def campaign_extend(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    brand = member_brand(request, slug, Role.MANAGER)
    campaign = brand_campaign(brand, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        with RefusalOnForm(form):
            ends_at = form.cleaned_data["ends_at"]
            campaign_end_extend(actor=request.user, campaign=campaign, ends_at=ends_at)
            moment = timezone.localtime(ends_at)
            messages.success(request, f"It ends on {moment:%-d %B %Y at %H:%M %Z} now.")
            return redirect("campaigns:campaign-edit", slug=slug, pk=pk)
    return _changes_page(request, brand, campaign, end_form=form)
