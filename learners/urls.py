"""Pages of the learners app, under /s/<school_slug>/learners/ (joined in plp/urls.py)."""

from django.urls import path

from learners import views

app_name = "learners"

urlpatterns = [
    path("", views.student_list, name="student_list"),
    path("me/", views.my_profile, name="my_profile"),
    path("my-plan/", views.my_plan, name="my_plan"),
    path("students/<int:student_id>/", views.profile, name="profile"),
    path("students/<int:student_id>/plan/", views.plan, name="plan"),
    path(
        "students/<int:student_id>/plan/focus/<int:focus_id>/delete/",
        views.plan_focus_delete,
        name="plan_focus_delete",
    ),
    path("careers/", views.career_list, name="career_list"),
    path("careers/new/", views.career_new, name="career_new"),
    path("careers/<int:career_id>/", views.career_detail, name="career_detail"),
    path("careers/<int:career_id>/edit/", views.career_edit, name="career_edit"),
    path("careers/<int:career_id>/aspire/", views.career_toggle, name="career_toggle"),
]
