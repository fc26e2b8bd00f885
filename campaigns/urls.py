from django.urls import path

from campaigns import brand_views, perk_views

app_name = "campaigns"
urlpatterns = [
    # People: the perks they are offered and their claims.
    path("perks/", perk_views.perks, name="perks"),
    path("perks/<int:pk>/", perk_views.perk, name="perk"),
    path("perks/<int:pk>/waitlist/", perk_views.waitlist_join, name="waitlist"),
    path("perks/claims/<int:pk>/cancel/", perk_views.claim_cancel, name="claim-cancel"),
    path("perks/topic/<slug:slug>/", perk_views.topic_perks, name="topic-perks"),
    # Brands: their campaigns, set up, followed and fulfilled.
    path("brands/", brand_views.brands, name="brands"),
    path("invitations/<str:token>/", brand_views.invitation, name="invitation"),
    path("brands/<slug:slug>/", brand_views.brand, name="brand"),
    path("brands/<slug:slug>/details/", brand_views.brand_details, name="brand-details"),
    path("brands/<slug:slug>/invite/", brand_views.member_invite, name="invite"),
    path("brands/<slug:slug>/keys/", brand_views.key_create, name="key-create"),
    path("brands/<slug:slug>/keys/<int:key>/revoke/", brand_views.key_revoke, name="key-revoke"),
    path(
        "brands/<slug:slug>/members/<int:member>/remove/",
        brand_views.member_remove,
        name="member-remove",
    ),
    path("brands/<slug:slug>/new/", brand_views.campaign_edit, name="campaign-new"),
    path("brands/<slug:slug>/estimate/", brand_views.campaign_estimate, name="estimate"),
    path("brands/<slug:slug>/<int:pk>/", brand_views.campaign, name="campaign"),
    path("brands/<slug:slug>/<int:pk>/edit/", brand_views.campaign_edit, name="campaign-edit"),
    path("brands/<slug:slug>/<int:pk>/codes/", brand_views.campaign_codes, name="codes"),
    path("brands/<slug:slug>/<int:pk>/move/", brand_views.campaign_move, name="move"),
    path("brands/<slug:slug>/<int:pk>/claims.csv", brand_views.campaign_claims_csv, name="csv"),
    path(
        "brands/<slug:slug>/<int:pk>/claims/<int:claim>/ship/",
        brand_views.claim_ship,
        name="ship",
    ),
]
