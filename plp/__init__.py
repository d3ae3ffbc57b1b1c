"""PLP project package: settings, URLs, the Celery app and the tenancy core."""

from plp.celery import app as celery_app

__all__ = ["celery_app"]
