"""Bad input on the level pages: a 404, a 405 or a form error, never a 500."""

import pytest

from schools.roles import Role
from tests.agency.conftest import make_mentee

HUGE = "9" * 25


@pytest.mark.parametrize(
    ("role", "method", "path", "data"),
    [
        (Role.MENTOR, "get", f"/s/alpha/agency/students/{HUGE}/", None),
        (Role.MENTOR, "post", f"/s/alpha/agency/students/{HUGE}/change/", {"to_rank": "2", "reason": "x"}),
        (Role.TEACHER, "get", f"/s/alpha/agency/sections/{HUGE}/levels/", None),
        (Role.MENTOR, "post", "/s/alpha/agency/students/{me}/change/", {"to_rank": "abc", "reason": "x"}),
        (Role.MENTOR, "post", "/s/alpha/agency/students/{me}/change/", {"to_rank": HUGE, "reason": "\x00"}),
        (Role.MENTOR, "post", "/s/alpha/agency/students/{me}/decline/", {"decline_reason": "x" * 5000}),
        (Role.MENTOR, "get", "/s/alpha/agency/students/{me}/change/", None),
        (Role.STUDENT, "post", "/s/alpha/agency/me/", {"pace_target": HUGE}),
        (Role.STUDENT, "post", "/s/alpha/agency/me/", {}),
        (Role.SCHOOL_ADMIN, "post", "/s/alpha/agency/ladder/", {"start_rank": "9", "weeks": "-1"}),
    ],
)
def test_bad_input_on_level_pages_never_gives_a_server_error(client, school_a, role, method, path, data):
    student = make_mentee(school_a)
    client.force_login(school_a.user(role))
    response = getattr(client, method)(path.format(me=student.pk), data or {})
    assert response.status_code in {200, 302, 400, 403, 404, 405}, response.status_code
