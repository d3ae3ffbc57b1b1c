"""Pages of the agency app (self-direction levels), under /s/<school_slug>/agency/ (joined in plp/urls.py)."""

from django.urls import path

from agency import views

app_name = "agency"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("me/", views.my_level, name="my_level"),
    path("ladder/", views.ladder_page, name="ladder"),
    path("sections/<int:section_id>/levels/", views.section_levels, name="section_levels"),
    path("students/<int:student_id>/", views.student_level, name="student_level"),
    path("students/<int:student_id>/change/", views.level_change, name="level_change"),
    path("students/<int:student_id>/decline/", views.suggestion_decline, name="suggestion_decline"),
]
