"""Private check-in notes: the student's mentors and school admins only."""

import pytest
from django.urls import reverse

from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import CheckInFactory
from tests.mentoring.conftest import add_student

SHARED = "SHARED-NOTE-keep reading"
PRIVATE = "PRIVATE-NOTE-talk to family"


@pytest.fixture
def check_in(school_a, mentee):
    return CheckInFactory(
        school=school_a.school,
        student=mentee,
        mentor=school_a.user(Role.MENTOR),
        shared_notes=SHARED,
        private_notes=PRIVATE,
    )


def _bodies(client, check_in, student):
    detail = client.get(reverse("mentoring:check_in_detail", args=["alpha", check_in.pk]))
    timeline = client.get(reverse("mentoring:timeline", args=["alpha", student.pk]))
    return detail, timeline


def test_the_student_sees_the_shared_note_but_never_the_private_one(client, school_a, check_in):
    client.force_login(school_a.user(Role.STUDENT))
    for response in _bodies(client, check_in, check_in.student):
        body = response.content.decode()
        assert response.status_code == 200
        assert SHARED in body and PRIVATE not in body


def test_another_student_reading_a_check_in_by_id_gets_404(client, school_a, check_in):
    other = add_student(school_a, section=school_a.section)
    client.force_login(other)
    detail, timeline = _bodies(client, check_in, check_in.student)
    assert detail.status_code == 404 and timeline.status_code == 404
    assert PRIVATE not in detail.content.decode() and SHARED not in detail.content.decode()


def test_teachers_of_the_student_see_shared_notes_but_no_private_ones(client, school_a, check_in):
    client.force_login(school_a.user(Role.TEACHER))
    for response in _bodies(client, check_in, check_in.student):
        body = response.content.decode()
        assert response.status_code == 200 and SHARED in body and PRIVATE not in body


@pytest.mark.parametrize("role", [Role.MENTOR, Role.SCHOOL_ADMIN, DISTRICT_ADMIN])
def test_mentors_and_school_admins_see_private_notes(client, school_a, check_in, role):
    client.force_login(school_a.user(role))
    for response in _bodies(client, check_in, check_in.student):
        assert PRIVATE in response.content.decode()


def test_a_mentor_of_someone_else_gets_404(client, school_a, check_in):
    client.force_login(school_a.user("other_teacher"))  # a teacher with no link to the student
    detail, _ = _bodies(client, check_in, check_in.student)
    assert detail.status_code == 404
