from django.urls import path, re_path

from scoring.api import klout_views as v2

urlpatterns = [
    path("identity.json/twitter", v2.IdentityByScreenName.as_view()),
    re_path(
        r"^identity\.json/(?P<network>tw|gp|ig)/(?P<external_id>[0-9]{1,30})$",
        v2.IdentityByNetworkId.as_view(),
    ),
    path("identity.json/klout/<str:klout_id>/tw", v2.TwitterIdOfUser.as_view()),
    path("user.json/<str:klout_id>", v2.User.as_view()),
    path("user.json/<str:klout_id>/score", v2.Score.as_view()),
    path("user.json/<str:klout_id>/topics", v2.Topics.as_view()),
    path("user.json/<str:klout_id>/influence", v2.Influence.as_view()),
]
