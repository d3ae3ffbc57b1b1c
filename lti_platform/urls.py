from django.urls import path

from lti_platform import endpoints, views

app_name = "lti_platform"

school = "s/<slug:school_slug>/lti/tools/"

urlpatterns = [
    # The school admin's pages (external tools) and the teacher's (placing one in a playlist).
    path(school, views.tools, name="tools"),
    path(f"{school}new/", views.tool_new, name="tool_new"),
    path(f"{school}<int:tool_registration_id>/", views.tool_edit, name="tool_edit"),
    path(f"{school}<int:tool_registration_id>/delete/", views.tool_delete, name="tool_delete"),
    path(f"{school}items/new/", views.item_new, name="item_new"),
    # The student opens a tool item.
    path(f"{school}launch/<int:playlist_id>/<int:item_id>/", views.launch, name="launch"),
    # What a tool calls.
    path("lti/platform/<uuid:tool>/auth/", endpoints.auth, name="auth"),
    path("lti/platform/<uuid:tool>/token/", endpoints.token, name="token"),
    path("lti/platform/<uuid:tool>/jwks/", endpoints.jwks, name="jwks"),
    path("lti/platform/<uuid:tool>/lineitems/<uuid:item>", endpoints.lineitem, name="lineitem"),
    path("lti/platform/<uuid:tool>/lineitems/<uuid:item>/scores", endpoints.scores, name="scores"),
    path("lti/platform/<uuid:tool>/lineitems/<uuid:item>/results", endpoints.results, name="results"),
]
