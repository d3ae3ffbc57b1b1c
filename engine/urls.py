"""Pages of the engine app (Next up, pins, vetoes), under /s/<school_slug>/engine/ (see plp/urls.py)."""

from django.urls import path

from engine import views

app_name = "engine"

urlpatterns = [
    path("students/<int:student_id>/", views.student_next_up, name="student_next_up"),
    path(
        "students/<int:student_id>/directives/<int:directive_id>/end/",
        views.directive_end,
        name="directive_end",
    ),
    path("sandbox/", views.sandbox_home, name="sandbox"),
    path("sandbox/<int:run_id>/", views.sandbox_run, name="sandbox_run"),
    path("sandbox/<int:run_id>/progress/", views.sandbox_progress, name="sandbox_progress"),
]
