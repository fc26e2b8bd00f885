"""Staff review of brands and campaigns: verify a brand; approve, reject (saying why), pause or
resume a campaign, from the list or from a campaign's review page (campaigns.views.review).
Campaigns are written by their brands, so staff only move them along."""

from functools import partial
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from campaigns.models import Brand, Campaign, Membership, Tier
from campaigns.selectors.review import may_decide
from campaigns.services.brands import brand_verify
from campaigns.services.lifecycle import campaign_pause, campaign_resume, campaign_review
from campaigns.views import review
from campaigns.views.review import RejectForm
from marketplace.admin_actions import apply_each, ask_first


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    readonly_fields = ("user", "role", "joined_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "website", "verified_at", "created_at")
    list_filter = (("verified_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "slug")
    readonly_fields = ("verified_at", "logo")  # owners upload it, re-encoded (marketplace.pictures)
    inlines = (MembershipInline,)
    actions = ("verify",)

    @admin.action(description="Verify the selected brands")
    def verify(self, request: HttpRequest, queryset: QuerySet[Brand]) -> None:
        apply_each(request, queryset, "Verified", lambda brand: brand_verify(brand=brand))


class TierInline(admin.TabularInline):
    model = Tier
    extra = 0
    can_delete = False
    readonly_fields = ("min_score", "offer")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "review_link",
        "brand",
        "status",
        "perk_type",
        "quantity",
        "taken",
        "min_score",
        "max_score",
        "starts_at",
        "ends_at",
    )
    list_filter = ("status", "perk_type")
    list_select_related = ("brand",)
    search_fields = ("title", "brand__name")
    inlines = (TierInline,)
    actions = ("approve", "reject", "pause", "resume")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Campaign._meta.get_fields() if f.concrete and not f.many_to_many]

    def get_urls(self) -> list[URLPattern]:
        """The review page, and deciding there (campaigns.views.review), before the admin's
        own pages, whose last one takes any path."""
        pages = (
            ("", review.review, "review"),
            ("approve/", review.approve, "review_approve"),
            ("reject/", review.reject, "review_reject"),
        )
        return [
            path(
                f"<int:pk>/review/{tail}",
                self.admin_site.admin_view(partial(view, campaigns=self)),
                name=f"campaigns_campaign_{name}",
            )
            for tail, view, name in pages
        ] + super().get_urls()

    @admin.display(description="Review")
    def review_link(self, campaign: Campaign) -> str:
        url = reverse("admin:campaigns_campaign_review", args=[campaign.pk])
        return format_html('<a href="{}" aria-label="Review {}">Review</a>', url, campaign)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # brands write campaigns, on their pages

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # staff move campaigns with the actions; a saved form would undo claims

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_decide(request.user)

    @admin.action(description="Approve the selected campaigns", permissions=["review"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        now = timezone.now()

        def approve(campaign: Campaign) -> None:
            campaign_review(campaign=campaign, approve=True, now=now)

        apply_each(request, queryset, "Approved", approve)

    @admin.action(description="Reject the selected campaigns, saying why…", permissions=["review"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> HttpResponse | None:
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            note, now = form.cleaned_data["note"], timezone.now()

            def reject(campaign: Campaign) -> None:
                campaign_review(campaign=campaign, approve=False, note=note, now=now)

            apply_each(request, queryset, "Rejected", reject)
            return None
        intro = "These campaigns go back to their brands with your reason:"
        return ask_first(
            self, request, queryset, form, action="reject", title="Reject campaigns", intro=intro
        )

    @admin.action(description="Pause the selected campaigns", permissions=["review"])
    def pause(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        apply_each(request, queryset, "Paused", lambda c: campaign_pause(campaign=c))

    @admin.action(description="Resume the selected campaigns", permissions=["review"])
    def resume(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        now = timezone.now()
        apply_each(request, queryset, "Resumed", lambda c: campaign_resume(campaign=c, now=now))
