"""Pages of the dashboard app, under /s/<school_slug>/dashboard/ (joined in plp/urls.py)."""

app_name = "dashboard"

urlpatterns = []
