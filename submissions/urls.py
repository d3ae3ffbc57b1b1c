"""Pages of handed-in files, under /s/<school_slug>/files/ (joined in plp/urls.py)."""

from django.urls import path

from submissions import views

app_name = "submissions"

urlpatterns = [
    path("<uuid:file_id>/", views.file_download, name="file_download"),
]
