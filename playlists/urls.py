"""Pages of the playlists app, under /s/<school_slug>/ (joined in plp/urls.py)."""

app_name = "playlists"

urlpatterns = []
