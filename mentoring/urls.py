"""Pages of the mentoring app, under /s/<school_slug>/ (joined in plp/urls.py)."""

app_name = "mentoring"

urlpatterns = []
