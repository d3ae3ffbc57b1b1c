"""Role checks narrow access inside a school the user already belongs to."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.test import APIClient
from rest_framework.views import APIView

from plp.api.permissions import HasSchoolRole
from plp.tenancy.decorators import school_roles_required
from schools.roles import Role


@school_roles_required(Role.TEACHER, Role.SCHOOL_ADMIN)
def teachers_only(request):
    return HttpResponse("ok")


A_SCHOOL = object()


def _request(roles, school=A_SCHOOL):
    request = RequestFactory().get("/")
    request.school, request.school_roles = school, frozenset(roles)
    return request


def test_a_page_for_teachers_lets_a_teacher_in():
    assert teachers_only(_request({Role.TEACHER})).status_code == 200


def test_a_page_for_teachers_forbids_a_student_of_the_same_school():
    with pytest.raises(PermissionDenied):
        teachers_only(_request({Role.STUDENT}))


def test_a_role_protected_page_outside_a_school_is_refused():
    with pytest.raises(PermissionDenied):
        teachers_only(_request({Role.TEACHER}, school=None))


class _View(APIView):
    allowed_roles = frozenset({Role.TEACHER})


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [({Role.TEACHER}, True), ({Role.STUDENT}, False), (set(), False), ({Role.MENTOR, Role.TEACHER}, True)],
)
def test_the_api_role_permission_follows_the_views_allowed_roles(roles, allowed):
    request = RequestFactory().get("/")
    request.school_roles = frozenset(roles)
    assert HasSchoolRole().has_permission(request, _View()) is allowed


def test_the_api_role_permission_allows_any_member_when_no_roles_are_named(school_a):
    request = RequestFactory().get("/")
    request.school_roles = frozenset({Role.STUDENT})
    assert HasSchoolRole().has_permission(request, APIView()) is True


def test_a_student_cannot_use_a_teacher_only_api_of_their_own_school(school_a, settings):
    from django.urls import path

    from plp.api.views import SchoolScopedAPIMixin

    class TeacherOnlyApi(SchoolScopedAPIMixin, APIView):
        allowed_roles = frozenset({Role.TEACHER})

        def get(self, request, school_slug):
            from rest_framework.response import Response

            return Response({"ok": True})

    urlconf = type(
        "urlconf", (), {"urlpatterns": [path("t/s/<slug:school_slug>/", TeacherOnlyApi.as_view())]}
    )
    settings.ROOT_URLCONF = urlconf
    client = APIClient()
    client.force_authenticate(school_a.user("student"))
    assert client.get("/t/s/alpha/").status_code == 403
    client.force_authenticate(school_a.user("teacher"))
    assert client.get("/t/s/alpha/").status_code == 200
    assert client.get("/t/s/bravo/").status_code == 404


def test_an_api_view_under_a_school_url_without_the_mixin_is_refused(school_a, settings):
    from django.urls import path
    from rest_framework.response import Response

    class UnguardedApi(APIView):
        def get(self, request, school_slug):
            return Response({"ok": True})

    urlconf = type("urlconf", (), {"urlpatterns": [path("u/s/<slug:school_slug>/", UnguardedApi.as_view())]})
    settings.ROOT_URLCONF = urlconf
    client = APIClient(raise_request_exception=True)
    client.force_login(school_a.user("teacher"))
    with pytest.raises(Exception, match="not a SchoolScopedAPIMixin"):
        client.get("/u/s/alpha/")
