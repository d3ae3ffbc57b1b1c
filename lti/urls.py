from django.urls import path

from lti import launch_views, views

app_name = "lti"

school = "s/<slug:school_slug>/lti/"

urlpatterns = [
    # The school admin's pages.
    path(school, views.lti_settings, name="settings"),
    path(f"{school}registrations/new/", views.registration_new, name="registration_new"),
    path(
        f"{school}registrations/<int:lti_registration_id>/", views.registration_edit, name="registration_edit"
    ),
    path(
        f"{school}registrations/<int:lti_registration_id>/rotate-key/",
        views.registration_rotate_key,
        name="registration_rotate_key",
    ),
    path(
        f"{school}registrations/<int:lti_registration_id>/delete/",
        views.registration_delete,
        name="registration_delete",
    ),
    path(f"{school}deep-link/", views.deep_link, name="deep_link"),
    # What the LMS calls: public.
    path("lti/<uuid:registration>/login/", launch_views.login_initiation, name="login"),
    path("lti/<uuid:registration>/launch/", launch_views.launch, name="launch"),
    path("lti/<uuid:registration>/jwks/", launch_views.jwks, name="jwks"),
    path("lti/refused/", launch_views.refused, name="refused"),
]

from lti import nrps_views  # noqa: E402  (course rosters, NRPS)

urlpatterns += [
    path(f"{school}courses/", nrps_views.courses, name="courses"),
    path(f"{school}courses/<int:lti_context_id>/roster/", nrps_views.course_roster, name="course_roster"),
    path(
        f"{school}courses/<int:lti_context_id>/roster/apply/",
        nrps_views.course_roster_apply,
        name="course_roster_apply",
    ),
]

from lti import registration_views  # noqa: E402  (LTI Dynamic Registration)

urlpatterns += [
    path("lti/register/", registration_views.dynamic_registration, name="dynamic_registration"),
]
