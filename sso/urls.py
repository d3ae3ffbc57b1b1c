from django.urls import path

from sso import signin_views, views

app_name = "sso"

school = "s/<slug:school_slug>/sso/"

urlpatterns = [
    # The admin's pages, inside the school.
    path(school, views.sso_settings, name="settings"),
    path(f"{school}providers/new/", views.provider_new, name="provider_new"),
    path(f"{school}providers/<int:sso_provider_id>/", views.provider_edit, name="provider_edit"),
    path(f"{school}providers/<int:sso_provider_id>/delete/", views.provider_delete, name="provider_delete"),
    # Signing in: public.
    path("sso/", signin_views.find_school, name="find"),
    path("sso/refused/", signin_views.refused, name="refused"),
    path("sso/school/<slug:school>/", signin_views.school_sign_in, name="school"),
    path("sso/school/<slug:school>/<uuid:provider>/start/", signin_views.start, name="start"),
    path("sso/oidc/<uuid:provider>/callback/", signin_views.oidc_callback, name="oidc_callback"),
    path("sso/saml/<uuid:provider>/metadata/", signin_views.saml_metadata, name="saml_metadata"),
    path("sso/saml/<uuid:provider>/acs/", signin_views.saml_acs, name="saml_acs"),
]
