"""API permissions. School membership is already checked by SchoolScopedAPIMixin; these narrow it by role."""

from django.conf import settings
from rest_framework.permissions import BasePermission


class HasSchoolRole(BasePermission):
    """Allows the view's ``allowed_roles`` (all members when it is None)."""

    message = "Your role in this school does not give access to this resource."

    def has_permission(self, request, view) -> bool:
        allowed = getattr(view, "allowed_roles", None)
        roles = getattr(request, "school_roles", frozenset())
        if not roles:
            return False
        return allowed is None or not roles.isdisjoint(allowed)


class SchemaReaders(BasePermission):
    """The OpenAPI schema and its docs page: signed-in people in production (it maps every route and field),
    anyone in development."""

    def has_permission(self, request, view) -> bool:
        return not settings.PRODUCTION or bool(request.user and request.user.is_authenticated)
