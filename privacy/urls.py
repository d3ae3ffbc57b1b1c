from django.urls import path

from privacy import views

app_name = "privacy"

STUDENT = "students/<int:student_id>/"

urlpatterns = [
    path("", views.privacy_index, name="index"),
    path(STUDENT, views.privacy_student, name="student"),
    path(f"{STUDENT}export/", views.privacy_export, name="export"),
    path(f"{STUDENT}erase/", views.privacy_erase, name="erase"),
]
