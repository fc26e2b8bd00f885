from django.urls import path

from campaigns.views import brands, perks

app_name = "campaigns"
urlpatterns = [
    # People: the perks they are offered and their claims.
    path("perks/", perks.perks, name="perks"),
    path("perks/<int:pk>/", perks.perk, name="perk"),
    path("perks/<int:pk>/waitlist/", perks.waitlist_join, name="waitlist"),
    path("perks/claims/<int:pk>/cancel/", perks.claim_cancel, name="claim-cancel"),
    path("perks/topic/<slug:slug>/", perks.topic_perks, name="topic-perks"),
    # Brands: their campaigns, set up, followed and fulfilled.
    path("brands/", brands.brands, name="brands"),
    path("invitations/<str:token>/", brands.invitation, name="invitation"),
    path("brands/<slug:slug>/", brands.brand, name="brand"),
    path("brands/<slug:slug>/details/", brands.brand_details, name="brand-details"),
    path("brands/<slug:slug>/invite/", brands.member_invite, name="invite"),
    path("brands/<slug:slug>/keys/", brands.key_create, name="key-create"),
    path("brands/<slug:slug>/keys/<int:key>/revoke/", brands.key_revoke, name="key-revoke"),
    path(
        "brands/<slug:slug>/members/<int:member>/remove/",
        brands.member_remove,
        name="member-remove",
    ),
    path("brands/<slug:slug>/new/", brands.campaign_edit, name="campaign-new"),
    path("brands/<slug:slug>/estimate/", brands.campaign_estimate, name="estimate"),
    path("brands/<slug:slug>/<int:pk>/", brands.campaign, name="campaign"),
    path("brands/<slug:slug>/<int:pk>/edit/", brands.campaign_edit, name="campaign-edit"),
    path("brands/<slug:slug>/<int:pk>/codes/", brands.campaign_codes, name="codes"),
    path("brands/<slug:slug>/<int:pk>/move/", brands.campaign_move, name="move"),
    path("brands/<slug:slug>/<int:pk>/claims.csv", brands.campaign_claims_csv, name="csv"),
    path(
        "brands/<slug:slug>/<int:pk>/claims/<int:claim>/ship/",
        brands.claim_ship,
        name="ship",
    ),
]
