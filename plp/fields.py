"""Model fields that several apps declare alike."""

from django.conf import settings
from django.db import models


def actor_field() -> models.ForeignKey:
    """The adult who acted on a row (decided, recorded, assigned, created it): kept as null when their account
    is deleted, so the record outlives them, and with no reverse accessor. Each one is listed, with why it is
    not the student's data, in ``NOT_THE_STUDENT`` (privacy/registry.py)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
