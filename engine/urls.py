"""Pages of the engine app (flags, pins, vetoes), under /s/<school_slug>/engine/ (see plp/urls.py)."""

app_name = "engine"

urlpatterns = []
