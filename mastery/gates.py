"""Role and method checks for pages with object ids, applied AFTER the object lookup.

The cross-tenant rule is that another school's id is a 404 for everyone, whatever their role or method:
so these views look the object up first (404), then check the role (403) and the method (405).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed

SAFE = ("GET", "HEAD")


def gate(request, *, roles, methods=SAFE) -> HttpResponseNotAllowed | None:
    """None when the caller's role and the method are allowed; a 405 response for a wrong method."""
    if request.school_roles.isdisjoint(roles):
        raise PermissionDenied("Your role in this school does not give access to this page.")
    if request.method not in methods:
        return HttpResponseNotAllowed(methods)
    return None
