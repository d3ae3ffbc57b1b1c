from django.urls import include, path

from schools import mentor_views, onboarding_views, people_views, views

app_name = "schools"

school = "s/<slug:school_slug>/"
imports = f"{school}onboarding/imports/<int:import_run_id>/"

# What a school admin does about one person (a membership).
person = [
    path("active/", people_views.person_active, name="person_active"),
    path("invite/", people_views.person_invite, name="person_invite"),
    path("reset/", people_views.person_reset, name="person_reset"),
    path("sign-out/", people_views.person_sign_out, name="person_sign_out"),
    path("unlock/", people_views.person_unlock, name="person_unlock"),
    path("email/", people_views.person_email, name="person_email"),
    path("password/", people_views.person_password, name="person_password"),
]

urlpatterns = [
    path("", views.school_picker, name="picker"),
    path(school, views.school_home, name="home"),
    path(f"{school}sections/", views.section_list, name="section_list"),
    path(f"{school}sections/<int:section_id>/", views.section_detail, name="section_detail"),
    path(f"{school}sections/<int:section_id>/edit/", people_views.section_edit, name="section_edit"),
    path(f"{school}onboarding/", onboarding_views.onboarding_details, name="onboarding"),
    path(f"{school}onboarding/upload/", onboarding_views.roster_upload, name="roster_upload"),
    path(f"{school}onboarding/new-school/", onboarding_views.school_create, name="school_create"),
    path(imports, onboarding_views.import_detail, name="import_detail"),
    path(f"{imports}progress/", onboarding_views.import_progress, name="import_progress"),
    path(f"{imports}report.csv", onboarding_views.import_report_csv, name="import_report_csv"),
    path(f"{school}people/", people_views.people, name="people"),
    path(f"{school}people/invite/", people_views.invite_pending, name="invite_pending"),
    path(f"{school}people/<int:membership_id>/", include(person)),
    path(f"{school}mentors/", mentor_views.mentor_assign, name="mentor_assign"),
    path(f"{school}mentors/upload/", mentor_views.mentor_csv, name="mentor_csv"),
    path(f"{school}mentors/<int:assignment_id>/end/", mentor_views.mentor_end, name="mentor_end"),
]
