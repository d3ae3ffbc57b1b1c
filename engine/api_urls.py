"""API routes of the engine app, in the ``api`` namespace under /api/v1/ (joined in plp/api/urls.py)."""

urlpatterns = []
