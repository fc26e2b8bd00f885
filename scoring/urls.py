from django.urls import path

from scoring import views

app_name = "scoring"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("p/<str:public_id>/", views.profile, name="profile"),
    path("p/<str:network>/<str:username>/", views.profile_by_handle, name="profile-by-handle"),
    path("badge/<str:public_id>.svg", views.badge, name="badge"),
]
