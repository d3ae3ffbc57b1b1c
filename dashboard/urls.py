"""Pages of the dashboard app, under /s/<school_slug>/dashboard/ (joined in plp/urls.py)."""

from django.urls import path

from dashboard import overview_views, student_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("sections/<int:section_id>/", views.section, name="section"),
    path("sections/<int:section_id>/grid/", views.section_grid, name="section_grid"),
    path("sections/<int:section_id>/flags/", views.section_flags, name="section_flags"),
    path("sections/<int:section_id>/export.csv", views.section_csv, name="section_csv"),
    path("flags/<int:flag_id>/acknowledge/", views.flag_acknowledge_view, name="flag_acknowledge"),
    path("flags/<int:flag_id>/resolve/", views.flag_resolve_view, name="flag_resolve"),
    path("students/<int:student_id>/", student_views.student, name="student"),
    path("overview/", overview_views.school_overview, name="school_overview"),
    path("district/", overview_views.district_overview, name="district_overview"),
]
