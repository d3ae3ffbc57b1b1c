"""Bad input to the workshops pages and the feed: a 4xx or the form again with a message, never a 500."""

import pytest
from django.urls import reverse

from schools.roles import Role
from tests.workshops.conftest import make_workshop

pytestmark = pytest.mark.django_db
HUGE = "9" * 25


@pytest.mark.parametrize(
    ("role", "method", "path", "data"),
    [
        (Role.TEACHER, "get", f"/s/alpha/workshops/{HUGE}/", None),
        (Role.TEACHER, "post", f"/s/alpha/workshops/{HUGE}/attendance/", None),
        (Role.STUDENT, "post", f"/s/alpha/workshops/{HUGE}/signup/", None),
        (Role.SCHOOL_ADMIN, "get", f"/s/alpha/workshops/blocks/{HUGE}/", None),
        (Role.TEACHER, "get", f"/s/alpha/workshops/week/students/{HUGE}/", None),
        (Role.TEACHER, "get", "/s/alpha/workshops/week/?week=0000-00-00", None),
        (Role.TEACHER, "get", "/s/alpha/workshops/week/?week=9999-12-31", None),
        (Role.TEACHER, "get", "/s/alpha/workshops/week/?week=0001-01-01", None),
        (
            Role.TEACHER,
            "get",
            f"/s/alpha/workshops/new/?competency={HUGE}&section=-1&students={HUGE}&students=%00",
            None,
        ),
        (
            Role.TEACHER,
            "post",
            "/s/alpha/workshops/new/",
            {
                "competency": HUGE,
                "block": HUGE,
                "day": "2026-13-45",
                "capacity": "abc",
                "students": ["x", HUGE],
                "starts": "25:99",
                "location": "\x00",
            },
        ),
        (
            Role.SCHOOL_ADMIN,
            "post",
            "/s/alpha/workshops/blocks/",
            {"weekday": "9", "starts": "x", "ends": HUGE},
        ),
        (None, "get", f"/calendar/{'%00' * 3}.ics", None),
        (None, "get", f"/calendar/{HUGE * 10}.ics", None),
        (None, "post", "/calendar/abc.ics", None),
    ],
)
def test_bad_input_never_gives_a_server_error(client, school_a, school_b, role, method, path, data):
    if role:
        client.force_login(school_a.user(role))
    response = getattr(client, method)(path, data or {})
    assert response.status_code in {200, 302, 400, 403, 404, 405}, (path, response.status_code)
    assert b"bravo" not in response.content.lower()


def test_attendance_posted_with_nonsense_shows_the_form_again(client, school_a, competency, block, monday):
    import datetime as dt

    from django.utils import timezone

    from plp.tenancy.context import school_scope
    from workshops.models import Workshop

    student = school_a.user(Role.STUDENT)
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student])
    with school_scope(school_a.school):
        start = timezone.now() - dt.timedelta(minutes=1)
        Workshop.objects.filter(pk=workshop.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=1))
    client.force_login(school_a.user(Role.TEACHER))
    url = reverse("workshops:attendance", args=["alpha", workshop.pk])
    response = client.post(url, {f"attendance_{student.pk}": "maybe", f"outcome_{student.pk}": "x" * 500})
    assert response.status_code == 200
    assert "Attendance and outcomes" in response.content.decode()
