"""API routes of the dashboard app, in the ``api`` namespace under /api/v1/ (joined in plp/api/urls.py)."""

from django.urls import path

from dashboard import apis

urlpatterns = [
    path(
        "dashboard/sections/<int:section_id>/",
        apis.SectionSummaryApi.as_view(),
        name="dashboard_section_summary",
    ),
    path(
        "dashboard/students/<int:student_id>/",
        apis.StudentSummaryApi.as_view(),
        name="dashboard_student_summary",
    ),
]
