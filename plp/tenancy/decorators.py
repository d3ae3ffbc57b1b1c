"""Role checks for pages. Membership itself is checked by the middleware before any view runs."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied


def school_roles_required(*roles: str) -> Callable:
    """Allow the view only to holders of one of ``roles`` in the active school (403 otherwise: the user
    is a member of this school, so the page's existence is no secret)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.school is None:
                raise PermissionDenied("This page needs a school.")
            if request.school_roles.isdisjoint(roles):
                raise PermissionDenied("Your role in this school does not give access to this page.")
            return view(request, *args, **kwargs)

        wrapped.plp_required_roles = frozenset(roles)
        return wrapped

    return decorator
