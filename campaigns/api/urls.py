from django.urls import path, re_path

from campaigns.api import views

urlpatterns = [
    path("brands/<slug:slug>/campaigns/", views.BrandCampaigns.as_view()),
    path("brands/<slug:slug>/campaigns/<int:pk>/", views.BrandCampaign.as_view()),
    re_path(
        r"^brands/(?P<slug>[-\w]+)/campaigns/(?P<pk>[0-9]+)/(?P<move>submit|pause|resume)/$",
        views.BrandCampaignMove.as_view(),
    ),
    path("brands/<slug:slug>/campaigns/<int:pk>/claims/", views.BrandClaims.as_view()),
    path(
        "brands/<slug:slug>/campaigns/<int:pk>/claims/<int:claim>/fulfil/",
        views.BrandClaimFulfil.as_view(),
    ),
    path("me/perks/", views.MyPerks.as_view()),
    path("me/claims/", views.MyClaims.as_view()),
]
