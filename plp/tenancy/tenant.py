"""The tenant model, named by a setting (``PLP_TENANT_MODEL``, as Django names the user model with
``AUTH_USER_MODEL``): the tenancy core reads the tenant's table without importing the app that defines it,
which sits above ``plp`` in the app layers (README, "App layers")."""

from django.apps import apps
from django.conf import settings


def tenant_model():
    """The School model (``schools.School`` unless the setting says otherwise)."""
    return apps.get_model(settings.PLP_TENANT_MODEL)
