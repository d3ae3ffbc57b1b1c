"""Pages of the mentoring app, under /s/<school_slug>/mentoring/ (joined in plp/urls.py)."""

from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.mentee_list, name="mentee_list"),
    path("goals/", views.my_goals, name="my_goals"),
    path("goals/<int:goal_id>/reflect/", views.goal_reflect, name="goal_reflect"),
    path("students/<int:student_id>/", views.timeline, name="timeline"),
    path("students/<int:student_id>/goals/", views.goals, name="goals"),
    path("students/<int:student_id>/brief/", views.brief, name="brief"),
    path("students/<int:student_id>/check-ins/new/", views.check_in_new, name="check_in_new"),
    path("check-ins/<int:check_in_id>/", views.check_in_detail, name="check_in_detail"),
    path("check-ins/<int:check_in_id>/edit/", views.check_in_edit, name="check_in_edit"),
]
