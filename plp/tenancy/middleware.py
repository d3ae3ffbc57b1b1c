"""Resolve the school from the URL for pages, check membership, and hold it for the whole request."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from rest_framework.views import APIView

from plp.api.views import SchoolScopedAPIMixin
from plp.tenancy.access import enter_school, leave_school, school_access_for
from plp.tenancy.context import (
    SCHOOL_URL_KWARG,
    DatabaseScope,
    no_scope,
    reset_database_scope,
    set_database_scope,
)


def _drf_view_class(view_func):
    view_class = getattr(view_func, "cls", None)
    if view_class is None:
        return None
    return view_class if issubclass(view_class, APIView) else None


class SchoolTenancyMiddleware:
    """For any page whose URL carries ``<school_slug>``: login required, membership required (404
    otherwise), then the school is active until the response is rendered.

    API views resolve the school themselves after DRF authentication (token users are only known
    there), via :class:`plp.api.views.SchoolScopedAPIMixin`; any other API view under a school URL is a
    configuration error, refused loudly.

    The database's scope (row-level security) follows: none at the start of every request; the school
    named in the URL from the first query on (its memberships are read to let the person in, and the
    database shows no other school meanwhile); then the school entered. Platform staff in the Django admin
    read every school (the admin is ``unscoped()`` throughout).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = None
        request.school_roles = frozenset()
        with no_scope():
            try:
                return self.get_response(request)
            finally:
                token = getattr(request, "_school_scope_token", None)
                if token is not None:
                    leave_school(token)
                database_token = getattr(request, "_database_scope_token", None)
                if database_token is not None:
                    reset_database_scope(database_token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if SCHOOL_URL_KWARG not in view_kwargs:
            match = request.resolver_match
            if match is not None and match.namespace == "admin" and request.user.is_staff:
                # unscoped: the Django admin is for platform staff across every school.
                request._database_scope_token = set_database_scope(DatabaseScope(all_schools=True))
            return None
        request._database_scope_token = set_database_scope(
            DatabaseScope(school_slug=view_kwargs[SCHOOL_URL_KWARG])
        )
        drf_view = _drf_view_class(view_func)
        if drf_view is not None:
            if not issubclass(drf_view, SchoolScopedAPIMixin):
                raise ImproperlyConfigured(
                    f"{drf_view.__name__} serves a school URL but is not a SchoolScopedAPIMixin."
                )
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access = school_access_for(user=request.user, school_slug=view_kwargs[SCHOOL_URL_KWARG])
        request._school_scope_token = enter_school(request, access)
        return None
