from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from marketplace import health, home, notification_pages, pages, picture_views

urlpatterns = [
    # The partner API first: its busiest paths are resolved without trying the site's.
    path("v2/", include("scoring.api.klout_urls")),
    path("api/v1/", include("scoring.api.v1_urls")),
    path("api/v1/", include("campaigns.api.urls")),
    path("", home.home, name="home"),
    path("favicon.ico", pages.favicon),
    path("contact/", pages.contact, name="contact"),
    path("privacy/", pages.privacy, name="privacy"),
    path("healthz", health.healthz, name="healthz"),
    path("media/<path:path>", picture_views.picture, name="picture"),
    path("", include("scoring.urls")),
    path("", include("campaigns.urls")),
    path("inbox/", notification_pages.inbox, name="inbox"),
    path("inbox/read/", notification_pages.mark_all_read, name="inbox-read"),
    path(
        "settings/notifications/",
        notification_pages.email_preferences,
        name="email-preferences",
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "marketplace.pages.bad_request"
handler403 = "marketplace.pages.permission_denied"
handler404 = "marketplace.pages.page_not_found"
handler429 = "marketplace.pages.too_many_requests"  # allauth's rate limits answer with it
handler500 = "marketplace.pages.server_error"
