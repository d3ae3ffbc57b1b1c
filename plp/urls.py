from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from plp import pwa, views
from workshops import views as workshops_views

admin.site.site_header = "PLP platform staff"
admin.site.site_title = "PLP admin"

_swagger_ui = SpectacularSwaggerSplitView.as_view(url_name="api_schema")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("plp.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves Swagger UI's start script from a URL: no inline script, so the CSP holds. Swagger
    # UI sets inline styles as it draws: allowed on this page only, scripts stay as strict as everywhere.
    path("api/docs/", csp_update({"style-src": [UNSAFE_INLINE]})(_swagger_ui), name="api_docs"),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("", include("schools.urls")),
    path("", include("sso.urls")),
    path("", include("lti.urls")),
    path("", include("lti_platform.urls")),
    path("s/<slug:school_slug>/learners/", include("learners.urls")),
    path("s/<slug:school_slug>/playlists/", include("playlists.urls")),
    path("s/<slug:school_slug>/mastery/", include("mastery.urls")),
    path("s/<slug:school_slug>/mentoring/", include("mentoring.urls")),
    path("s/<slug:school_slug>/engine/", include("engine.urls")),
    path("s/<slug:school_slug>/dashboard/", include("dashboard.urls")),
    path("s/<slug:school_slug>/audit/", include("privacy.audit_urls")),
    path("s/<slug:school_slug>/privacy/", include("privacy.urls")),
    path("s/<slug:school_slug>/xapi/", include("xapi.urls")),
    path("s/<slug:school_slug>/workshops/", include("workshops.urls")),
    # A calendar server cannot log in: the private token names the person and the school (see the view).
    path("calendar/<str:token>.ics", workshops_views.feed, name="calendar_feed"),
    path("s/<slug:school_slug>/agency/", include("agency.urls")),
    path("s/<slug:school_slug>/files/", include("submissions.urls")),
]

handler400 = "plp.views.bad_request"
handler403 = "plp.views.permission_denied"
handler404 = "plp.views.page_not_found"
handler500 = "plp.views.server_error"
