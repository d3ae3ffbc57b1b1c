"""Base classes for school-scoped API views.

The school comes from ``/api/v1/s/<school_slug>/``. After DRF has authenticated the request (session or
token), the user's membership is checked (404 when absent: no existence oracle) and the school stays active
until the response is rendered. Querysets are the models' default, fail-closed managers, so an object of
another school by id is simply not found.
"""

from django.http import Http404
from rest_framework import exceptions, viewsets
from rest_framework.permissions import IsAuthenticated

from plp.api.permissions import HasSchoolRole
from plp.tenancy.access import enter_school, leave_school, school_access_for
from plp.tenancy.context import SCHOOL_URL_KWARG


class SchoolScopedAPIMixin:
    """Mix into any APIView served under a school URL. Set ``allowed_roles`` to narrow by role."""

    allowed_roles: frozenset[str] | None = None
    permission_classes = [IsAuthenticated, HasSchoolRole]

    def initial(self, request, *args, **kwargs):
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        access = school_access_for(user=request.user, school_slug=kwargs[SCHOOL_URL_KWARG])
        bound = getattr(
            request.auth, "school_id", None
        )  # an API token bound to one school (accounts.ApiToken)
        if bound is not None and bound != access.school.pk:
            raise Http404("No such school.")
        # Set on the Django request; DRF's Request reads unknown attributes through to it.
        self._school_scope_token = enter_school(request._request, access)
        super().initial(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        self._school_scope_token = None
        try:
            response = super().dispatch(request, *args, **kwargs)
            # Render while the school is still active (the browsable API queries while rendering).
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response
        finally:
            if self._school_scope_token is not None:
                leave_school(self._school_scope_token)


class SchoolScopedReadOnlyViewSet(SchoolScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve inside the active school; ``get_queryset`` narrows further by role."""
