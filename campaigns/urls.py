from django.urls import path

from campaigns.views import brands, builder, fulfilment, perks, pickers

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
    path("brands/<slug:slug>/new/", builder.campaign_new, name="campaign-new"),
    path("brands/<slug:slug>/estimate/", brands.campaign_estimate, name="estimate"),
    path("brands/<slug:slug>/topics/", pickers.topic_options, name="topic-options"),
    path("brands/<slug:slug>/countries/", pickers.country_options, name="country-options"),
    path("brands/<slug:slug>/cities/", pickers.city_options, name="city-options"),
    path("brands/<slug:slug>/<int:pk>/", brands.campaign, name="campaign"),
    # The builder: a draft's steps; an approved campaign's changes left open.
    path("brands/<slug:slug>/<int:pk>/edit/", builder.campaign_edit, name="campaign-edit"),
    path(
        "brands/<slug:slug>/<int:pk>/edit/<slug:step>/",
        builder.campaign_edit,
        name="campaign-step",
    ),
    path("brands/<slug:slug>/<int:pk>/preview/", builder.campaign_preview, name="preview"),
    path("brands/<slug:slug>/<int:pk>/delete/", builder.campaign_remove, name="delete"),
    path("brands/<slug:slug>/<int:pk>/stock/", builder.campaign_stock, name="stock"),
    path("brands/<slug:slug>/<int:pk>/extend/", builder.campaign_extend, name="extend"),
    path("brands/<slug:slug>/<int:pk>/codes/", brands.campaign_codes, name="codes"),
    path("brands/<slug:slug>/<int:pk>/move/", brands.campaign_move, name="move"),
    path("brands/<slug:slug>/<int:pk>/claims.csv", brands.campaign_claims_csv, name="csv"),
    path(
        "brands/<slug:slug>/<int:pk>/claims/fulfil/",
        fulfilment.claims_fulfil_file,
        name="fulfil-file",
    ),
    path(
        "brands/<slug:slug>/<int:pk>/claims/<int:claim>/ship/",
        brands.claim_ship,
        name="ship",
    ),
]
