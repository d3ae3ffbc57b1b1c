"""Pages of the dashboard app, under /s/<school_slug>/dashboard/ (joined in plp/urls.py)."""

from django.urls import path

from dashboard.views import overview, section, student

app_name = "dashboard"

urlpatterns = [
    path("", section.index, name="index"),
    path("sections/<int:section_id>/", section.section, name="section"),
    path("sections/<int:section_id>/grid/", section.section_grid, name="section_grid"),
    path("sections/<int:section_id>/flags/", section.section_flags, name="section_flags"),
    path("sections/<int:section_id>/export.csv", section.section_csv, name="section_csv"),
    path("flags/<int:flag_id>/acknowledge/", section.flag_acknowledge_view, name="flag_acknowledge"),
    path("flags/<int:flag_id>/resolve/", section.flag_resolve_view, name="flag_resolve"),
    path("students/<int:student_id>/", student.student, name="student"),
    path("overview/", overview.school_overview, name="school_overview"),
    path("district/", overview.district_overview, name="district_overview"),
]
