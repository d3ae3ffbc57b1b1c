"""Pages of the mastery app, under /s/<school_slug>/ (joined in plp/urls.py)."""

app_name = "mastery"

urlpatterns = []
