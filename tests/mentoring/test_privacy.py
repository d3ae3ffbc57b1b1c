"""Private check-in notes: the student's mentors and school admins only."""

import pytest
from django.urls import reverse

from mentoring import services
from plp.tenancy.context import school_scope
from schools.access import student_access_get
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import CheckInFactory
from tests.support import add_student

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


# Corrections: a change of private notes carries the private text, old and new.

CORRECTED_SHARED = "SHARED-NOTE-keep reading, twenty minutes"
CORRECTED_PRIVATE = "PRIVATE-NOTE-talk to family about sleep"


def _correct(world, check_in, **data):
    mentor = world.user(Role.MENTOR)
    with school_scope(world.school):
        roles = frozenset({Role.MENTOR})
        access = student_access_get(user=mentor, roles=roles, student_id=check_in.student_id)
        services.check_in_update(access=access, actor=mentor, check_in=check_in, data=data)


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER])
def test_a_corrected_private_note_is_never_shown_to_the_student_or_teachers(client, school_a, check_in, role):
    _correct(school_a, check_in, shared_notes=CORRECTED_SHARED, private_notes=CORRECTED_PRIVATE)
    client.force_login(school_a.user(role))
    detail, timeline = _bodies(client, check_in, check_in.student)
    assert [change.field for change in detail.context["check_in"].change_list] == ["shared_notes"]
    for response in (detail, timeline):
        body = response.content.decode()
        assert CORRECTED_SHARED in body
        assert PRIVATE not in body and CORRECTED_PRIVATE not in body and "Private notes" not in body
    assert "Edited" in detail.content.decode() and SHARED in detail.content.decode()  # the shared change


@pytest.mark.parametrize("role", [Role.MENTOR, Role.SCHOOL_ADMIN, DISTRICT_ADMIN])
def test_mentors_and_school_admins_see_private_note_corrections(client, school_a, check_in, role):
    _correct(school_a, check_in, shared_notes=CORRECTED_SHARED, private_notes=CORRECTED_PRIVATE)
    client.force_login(school_a.user(role))
    detail, _ = _bodies(client, check_in, check_in.student)
    changes = [(c.field, c.old_value, c.new_value) for c in detail.context["check_in"].change_list]
    assert changes == [
        ("shared_notes", SHARED, CORRECTED_SHARED),
        ("private_notes", PRIVATE, CORRECTED_PRIVATE),
    ]
    body = detail.content.decode()
    assert PRIVATE in body and CORRECTED_PRIVATE in body


def test_a_correction_of_private_notes_alone_is_no_news_to_the_student(client, school_a, check_in):
    _correct(school_a, check_in, private_notes=CORRECTED_PRIVATE)
    client.force_login(school_a.user(Role.STUDENT))
    detail, _ = _bodies(client, check_in, check_in.student)
    body = detail.content.decode()
    assert detail.context["check_in"].change_list == []
    assert "Edited" not in body and "Changes" not in body
    client.force_login(school_a.user(Role.MENTOR))
    assert "Edited" in _bodies(client, check_in, check_in.student)[0].content.decode()
