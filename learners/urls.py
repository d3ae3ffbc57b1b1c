"""Pages of the learners app, under /s/<school_slug>/ (joined in plp/urls.py)."""

app_name = "learners"

urlpatterns = []
