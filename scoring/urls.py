from django.urls import path

from scoring.views import about, account, opt_out, people, topics

app_name = "scoring"
urlpatterns = [
    path("search/", people.search, name="search"),
    path("p/<str:public_id>/", people.profile, name="profile"),
    path("p/<str:network>/<str:username>/", people.profile_by_handle, name="profile-by-handle"),
    path("topics/", topics.topics, name="topics"),
    path("t/<slug:slug>/", topics.topic, name="topic"),
    path("badge/<str:public_id>.svg", people.badge, name="badge"),
    path("badge/<str:public_id>.png", people.badge, {"image": "png"}, name="badge-png"),
    path("about/score/", about.score_about, name="score-about"),
    path("me/", account.my_profile, name="me"),
    path("verify/", account.verify_start, name="verify"),
    path("verify/<int:pk>/", account.verify_check, name="verify-check"),
    path("verify/connected/", account.verify_connected, name="verify-connected"),
    path("handles/<int:pk>/access/", account.grant_access, name="grant-access"),
    path("p/<str:public_id>/plusk/<int:topic>/", account.give_plus_k, name="plus-k"),
    path("p/<str:public_id>/report/<int:topic>/", account.report_topic, name="report"),
    path("me/topics/<int:topic>/", account.hide_topic, name="hide-topic"),
    path("settings/opt-out/", opt_out.opt_out, name="opt-out"),
    path("settings/opt-out/request/", opt_out.opt_out_request, name="opt-out-request"),
    path("settings/delete-account/", opt_out.delete_account, name="delete-account"),
]
