from django.urls import path

from scoring import account_views, views

app_name = "scoring"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("p/<str:public_id>/", views.profile, name="profile"),
    path("p/<str:network>/<str:username>/", views.profile_by_handle, name="profile-by-handle"),
    path("badge/<str:public_id>.svg", views.badge, name="badge"),
    path("me/", account_views.my_profile, name="me"),
    path("verify/", account_views.verify_start, name="verify"),
    path("verify/<int:pk>/", account_views.verify_check, name="verify-check"),
    path("handles/<int:pk>/access/", account_views.grant_access, name="grant-access"),
]
