"""API routes of the engine app, in the ``api`` namespace under /api/v1/ (joined in plp/api/urls.py)."""

from django.urls import path

from engine import apis

STUDENT = "engine/students/<int:student_id>/"

urlpatterns = [
    path(STUDENT, apis.StudentNextUpApi.as_view(), name="engine_student_next_up"),
    path(f"{STUDENT}directives/", apis.DirectiveCreateApi.as_view(), name="engine_directive_create"),
    path(
        f"{STUDENT}directives/<int:directive_id>/end/",
        apis.DirectiveEndApi.as_view(),
        name="engine_directive_end",
    ),
]
