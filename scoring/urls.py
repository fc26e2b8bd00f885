from django.urls import path

from scoring import about_views, account_views, opt_out_views, topic_views, views

app_name = "scoring"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("p/<str:public_id>/", views.profile, name="profile"),
    path("p/<str:network>/<str:username>/", views.profile_by_handle, name="profile-by-handle"),
    path("topics/", topic_views.topics, name="topics"),
    path("t/<slug:slug>/", topic_views.topic, name="topic"),
    path("badge/<str:public_id>.svg", views.badge, name="badge"),
    path("badge/<str:public_id>.png", views.badge, {"image": "png"}, name="badge-png"),
    path("about/score/", about_views.score_about, name="score-about"),
    path("me/", account_views.my_profile, name="me"),
    path("verify/", account_views.verify_start, name="verify"),
    path("verify/<int:pk>/", account_views.verify_check, name="verify-check"),
    path("verify/connected/", account_views.verify_connected, name="verify-connected"),
    path("handles/<int:pk>/access/", account_views.grant_access, name="grant-access"),
    path("p/<str:public_id>/plusk/<int:topic>/", account_views.give_plus_k, name="plus-k"),
    path("p/<str:public_id>/report/<int:topic>/", account_views.report_topic, name="report"),
    path("me/topics/<int:topic>/", account_views.hide_topic, name="hide-topic"),
    path("settings/opt-out/", opt_out_views.opt_out, name="opt-out"),
    path("settings/opt-out/request/", opt_out_views.opt_out_request, name="opt-out-request"),
    path("settings/delete-account/", opt_out_views.delete_account, name="delete-account"),
]
