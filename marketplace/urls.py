from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from marketplace import health, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("", include("scoring.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

handler403 = "marketplace.pages.permission_denied"
handler404 = "marketplace.pages.page_not_found"
handler429 = "marketplace.pages.too_many_requests"  # allauth's rate limits answer with it
handler500 = "marketplace.pages.server_error"
